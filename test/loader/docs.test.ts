/**
 * The examples in the loader's docs are real: every ```sh block runs (```sh
 * sandbox blocks inside a private binfmt_misc sandbox) and must succeed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CLI, ROOT, sandboxedScript } from '../helpers/sandbox.js';
import { fileURLToPath } from 'node:url';
import { FIXTURES, LOADER, buildFixtures } from './helpers.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const PAGES = ['docs/binfmt-loader.8.md', 'docs/binfmt-loader-cli.1.md'];

function examples(page: string): { code: string; sandbox: boolean }[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  return [...text.matchAll(/^```sh( sandbox)?\n([\s\S]*?)^```$/gm)].map((m) => ({
    code: m[2]!,
    sandbox: m[1] !== undefined,
  }));
}

const EXAMPLE = fileURLToPath(new URL('scripts/doc-example.sh', import.meta.url));

/** What doc-example.sh needs besides the example: a fresh TMP each time. */
function exampleEnv(): NodeJS.ProcessEnv {
  const TMP = tempDir('binfmt-docs-');
  return { ...process.env, CLI: `node ${CLI}`, TMP, FIXTURES, LOADER_DIR: dirname(LOADER) };
}

beforeAll(buildFixtures);

for (const page of PAGES) {
  describe(`${page} examples`, () => {
    const all = examples(page);
    it('has examples', () => expect(all.length).toBeGreaterThan(0));
    all.forEach((ex, i) => {
      it(`example ${i + 1}${ex.sandbox ? ' (sandbox)' : ''} runs`, needs(ex.sandbox && sandbox()), () => {
        const env = exampleEnv();
        const r = ex.sandbox
          ? sandboxedScript(EXAMPLE, [ex.code], { env })
          : spawnSync('bash', [EXAMPLE, ex.code], { encoding: 'utf8', cwd: ROOT, env });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      });
    });
  });
}

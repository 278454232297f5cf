/**
 * The examples in the loader's docs are real: every ```sh block runs (```sh
 * sandbox blocks inside a private binfmt_misc sandbox) and must succeed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLI, ROOT, sandboxed } from '../helpers/sandbox.js';
import { FIXTURES, LOADER, buildFixtures } from './helpers.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

const PAGES = ['docs/binfmt-loader.8.md', 'docs/binfmt-loader-cli.1.md'];

function examples(page: string): { code: string; sandbox: boolean }[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  return [...text.matchAll(/^```sh( sandbox)?\n([\s\S]*?)^```$/gm)].map((m) => ({
    code: m[2]!,
    sandbox: m[1] !== undefined,
  }));
}

function prelude(): string {
  const tmp = mkdtempSync(join(tmpdir(), 'binfmt-docs-'));
  return [
    'set -e',
    `export TMP=${tmp} FIXTURES=${FIXTURES} PATH=${dirname(LOADER)}:$PATH`,
    `binfmt() { node ${CLI} "$@"; }`,
    '',
  ].join('\n');
}

beforeAll(buildFixtures);

for (const page of PAGES) {
  describe(`${page} examples`, () => {
    const all = examples(page);
    it('has examples', () => expect(all.length).toBeGreaterThan(0));
    all.forEach((ex, i) => {
      it(`example ${i + 1}${ex.sandbox ? ' (sandbox)' : ''} runs`, needs(ex.sandbox && sandbox()), () => {
        const script = prelude() + ex.code;
        const r = ex.sandbox ? sandboxed(script) : spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: ROOT });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      });
    });
  });
}

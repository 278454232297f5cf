/**
 * Every example in docs/ is real: each transcript runs (in a sandbox when it
 * changes a kernel) and must print what the page says. They run the INSTALLED
 * package, as a user has it: `npm pack` of this build installed with
 * `npm install -g --prefix TMP`, its bin first on PATH; nothing from the
 * source tree. A walkthrough (use-*.md) is typed in one directory, section
 * after section, and each section twice: a user may rerun any of them there.
 * BINFMT_DOCS_UPDATE=1 rewrites the pages' outputs from what actually ran
 * (review the diff).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { canSandbox, ROOT, sandboxed } from '../helpers/sandbox.js';
import { installed, removeScratch, scratchDir, type Installed } from '../helpers/installed.js';
import { actualOf, scriptOf, transcriptsOf, type Transcript } from './transcripts.js';

const DOCS = join(ROOT, 'docs');
const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const isWalkthrough = (page: string) => page.startsWith('use-');
/** A transcript may run debootstrap (binfmt rootfs), which takes minutes on a busy machine. */
const TRANSCRIPT_TIMEOUT_MS = 600_000;

let pkg: Installed;
beforeAll(() => {
  pkg = installed();
});
afterAll(removeScratch);

const freshDir = () => scratchDir('binfmt-typed-');

function runTranscript(t: Transcript, dir: string): string[] {
  const script = scriptOf(t, { bin: pkg.bin, dir });
  // One locale for every run, so that messages (and their quotes) do not depend on the caller's.
  const env = { ...process.env, LC_ALL: 'C.UTF-8', PATH: `${pkg.bin}:${process.env.PATH}` };
  const r =
    t.mode === 'sandbox'
      ? sandboxed(script, { cwd: dir, env, timeoutMs: 600_000 })
      : spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: dir, env, timeout: 600_000 });
  return actualOf(r.stdout);
}

function update(t: Transcript, actual: string[]): void {
  const path = join(DOCS, t.file);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const j = transcriptsOf(t.file, text)[t.index]!.line + 1;
  const rebuilt: string[] = [];
  t.steps.forEach((s, i) =>
    rebuilt.push(
      `$ ${s.command}`,
      ...(actual[i] ?? '')
        .replace(/\n$/, '')
        .split('\n')
        .filter((_, _k, a) => a.length > 1 || a[0] !== ''),
    ),
  );
  let end = j;
  while (lines[end] !== '```') end++;
  lines.splice(j, end - j, ...rebuilt);
  writeFileSync(path, lines.join('\n'));
}

it('the docs have transcripts', () => {
  const all = pages.flatMap((f) => transcriptsOf(f, readFileSync(join(DOCS, f), 'utf8')));
  expect(all.length).toBeGreaterThan(5);
});

for (const page of pages) {
  const transcripts = transcriptsOf(page, readFileSync(join(DOCS, page), 'utf8'));
  if (!transcripts.length) continue;
  describe(page, () => {
    // A walkthrough's sections share one directory, in page order; other pages' examples stand alone.
    let dir = '';
    for (const t of transcripts) {
      const runs = isWalkthrough(page) ? ['typed', 'typed again'] : ['typed'];
      for (const run of runs) {
        it.skipIf(t.mode === 'sandbox' && !canSandbox().ok)(`${t.file}:${t.line} (${run})`, () => {
          if (!dir || !isWalkthrough(page)) dir = freshDir();
          const actual = runTranscript(t, dir);
          if (process.env.BINFMT_DOCS_UPDATE) return update(t, actual);
          expect(actual).toEqual(t.steps.map((s) => s.expected));
        }, TRANSCRIPT_TIMEOUT_MS);
      }
    }
  });
}

/**
 * Every example in docs/ is real: each transcript runs (in a sandbox when it
 * changes a kernel) and must print what the page says. BINFMT_DOCS_UPDATE=1
 * rewrites the pages' outputs from what actually ran (review the diff).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ROOT, sandboxed } from '../helpers/sandbox.js';
import { bullseyeRoot } from '../helpers/rootfs.js';
import { asTestUser, ensureImage, installBinfmt, PODMAN, podmanSupport, userDir } from '../helpers/podman.js';
import { actualOf, scriptOf, transcriptsOf, type Transcript } from './transcripts.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

const DOCS = join(ROOT, 'docs');
const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const all: Transcript[] = pages.flatMap((f) => transcriptsOf(f, readFileSync(join(DOCS, f), 'utf8')));

let podmanEnv: { dir: string; cli: string; bin: string } | undefined;
/**
 * `# podman` transcripts run as the test user with binfmt installed where that
 * user can read it, and the real toolbox (podman-toolbox, unpacked by
 * scripts/install-deps.sh) on PATH. podman gets the options this machine
 * needs (runc, cgroupfs) and --log-level error against its warning that / is
 * not a shared mount.
 */
function runAsPodmanUser(t: Transcript): string[] {
  if (!podmanEnv) {
    ensureImage(bullseyeRoot());
    const dir = userDir('binfmt-docs-');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    copyFileSync(join(ROOT, '.cache', 'debs', 'podman-toolbox', 'usr', 'bin', 'toolbox'), join(bin, 'toolbox'));
    podmanEnv = { dir, cli: installBinfmt(dir), bin };
  }
  const prelude = [`podman() { command ${PODMAN} --log-level error "$@"; }`, `PATH=$PATH:${podmanEnv.bin}`];
  return actualOf(asTestUser(scriptOf(t, podmanEnv.cli, prelude)).stdout);
}

function runTranscript(t: Transcript): string[] {
  if (t.mode === 'podman') return runAsPodmanUser(t);
  const script = scriptOf(t, CLI);
  const r = t.mode === 'sandbox' ? sandboxed(script) : spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: ROOT });
  return actualOf(r.stdout);
}

afterAll(() => {
  if (podmanEnv) rmSync(podmanEnv.dir, { recursive: true, force: true });
});

describe('docs transcripts', () => {
  it('the docs have transcripts', () => {
    expect(all.length).toBeGreaterThan(5);
  });

  for (const t of all) {
    it(`${t.file}:${t.line}`, needs(t.mode === 'sandbox' && sandbox(), t.mode === 'podman' && podmanSupport()), () => {
      const actual = runTranscript(t);
      if (process.env.BINFMT_DOCS_UPDATE) {
        const path = join(DOCS, t.file);
        const text = readFileSync(path, 'utf8');
        const lines = text.split('\n');
        const j = transcriptsOf(t.file, text)[t.index]!.line + 1;
        const rebuilt: string[] = [];
        t.steps.forEach((s, i) => rebuilt.push(`$ ${s.command}`, ...(actual[i] ?? '').replace(/\n$/, '').split('\n').filter((_, _k, a) => a.length > 1 || a[0] !== '')));
        let end = j;
        while (lines[end] !== '```') end++;
        lines.splice(j, end - j, ...rebuilt);
        writeFileSync(path, lines.join('\n'));
        return;
      }
      expect(actual).toEqual(t.steps.map((s) => s.expected));
    });
  }
});

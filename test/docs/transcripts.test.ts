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
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, sandboxed } from '../helpers/sandbox.js';
import { installed, removeScratch, scratchDir, type Installed } from '../helpers/installed.js';
import { bullseyeRoot } from '../helpers/rootfs.js';
import { asTestUser, ensureImage, giveToTestUser, PODMAN, podmanSupport, userDir } from '../helpers/podman.js';
import { actualOf, scriptOf, transcriptsOf, type Transcript } from './transcripts.js';
import { ensureForeignImages, foreignPodmanEnv, KILL_PAUSE, QEMU_AARCH64 } from '../helpers/arm64-image.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

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

let podmanEnv: { dir: string; bin: string } | undefined;
/**
 * `# podman` transcripts run as the test user, with the installed package
 * (its prefix is world-readable) and the real toolbox (podman-toolbox,
 * unpacked by scripts/install-deps.sh) on PATH, in a directory of that
 * user's. podman gets the options this machine needs (runc, cgroupfs) and
 * --log-level error against its warning that / is not a shared mount.
 */
/**
 * What a walkthrough says the reader has before it starts. use-foreign-arch.md:
 * Debian's static qemu unpacked into ./qemu (its package is unpacked, never
 * installed, here too), and its arm64 image, with podman set up the way
 * foreignPodmanEnv says: its own store and pause process, so that what the
 * page registers in podman's user namespace ends with that process (killed
 * after the tests), not in other tests' containers.
 */
const GIVEN: Record<string, { prepare(dir: string): void; prelude?: (dir: string) => string[] }> = {
  'use-foreign-arch.md': {
    prepare(dir) {
      mkdirSync(join(dir, 'qemu'), { recursive: true });
      copyFileSync(QEMU_AARCH64, join(dir, 'qemu', 'qemu-aarch64-static'));
    },
    prelude: (dir) => [foreignPodmanEnv(dir, 'foreign-docs'), `podman() { command podman --log-level error "$@"; }`],
  },
};
let foreignUsed = false;

function runAsPodmanUser(t: Transcript): string[] {
  if (!podmanEnv) {
    ensureImage(bullseyeRoot());
    const dir = userDir('binfmt-docs-');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    copyFileSync(join(ROOT, '.cache', 'debs', 'podman-toolbox', 'usr', 'bin', 'toolbox'), join(bin, 'toolbox'));
    giveToTestUser(dir);
    podmanEnv = { dir, bin };
  }
  const given = GIVEN[t.file];
  if (given?.prelude && !foreignUsed) {
    ensureForeignImages('foreign-docs');
    given.prepare(podmanEnv.dir);
    giveToTestUser(podmanEnv.dir);
    // A pause process left by an earlier run would still hold what that run registered.
    asTestUser(`${foreignPodmanEnv(podmanEnv.dir, 'foreign-docs')}\n${KILL_PAUSE}`);
    foreignUsed = true;
  }
  const prelude = [
    ...(given?.prelude?.(podmanEnv.dir) ?? [`podman() { command ${PODMAN} --log-level error "$@"; }`]),
    `PATH=$PATH:${podmanEnv.bin}`,
  ];
  return actualOf(asTestUser(scriptOf(t, { bin: pkg.bin, dir: podmanEnv.dir }, prelude)).stdout);
}

afterAll(() => {
  if (podmanEnv && foreignUsed) asTestUser(`${foreignPodmanEnv(podmanEnv.dir, 'foreign-docs')}\n${KILL_PAUSE}`);
  if (podmanEnv) rmSync(podmanEnv.dir, { recursive: true, force: true });
});

function runTranscript(t: Transcript, dir: string): string[] {
  if (t.mode === 'podman') return runAsPodmanUser(t);
  GIVEN[t.file]?.prepare(dir);
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
        const gate = needs(t.mode === 'sandbox' && sandbox(), t.mode === 'podman' && podmanSupport());
        it(`${t.file}:${t.line} (${run})`, { ...gate, timeout: TRANSCRIPT_TIMEOUT_MS }, () => {
          if (!dir || !isWalkthrough(page)) dir = freshDir();
          const actual = runTranscript(t, dir);
          if (process.env.BINFMT_DOCS_UPDATE) return update(t, actual);
          expect(actual).toEqual(t.steps.map((s) => s.expected));
        });
      }
    }
  });
}

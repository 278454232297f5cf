/**
 * Every command that takes a path, given what a path may be: a FIFO with no
 * writer (a plain open waits forever), /dev/zero (a read to EOF never ends),
 * a directory, and 2 GiB sparse files (one of zeros, one an ELF file whose
 * dynamic section lies 1.5 GiB in). Each run must end within a few seconds
 * and a few tens of MB, and either fail with one line naming the path, or,
 * where the command has a real answer (inspect of the big ELF file, which of
 * a big file), give it. Runs on the host: `which` reads an empty stand-in
 * for the binfmt_misc mount (--mount), nothing is registered or written.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { farDynamicElf } from '../helpers/elf-image.js';
import { CLI } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/tmp.js';

const PRELOAD = new URL('./scripts/max-rss.mjs', import.meta.url).href;
/** "A few seconds": the slowest run here takes ~0.7 s on an idle machine; the rest is room for a busy one. */
const TIME_LIMIT_MS = 8000;
/** Killed past this: a run that blocks on the FIFO or reads /dev/zero to its end never finishes. */
const HANG_MS = 20_000;
/** "A few tens of MB": Node itself takes ~40 MiB; reading 2 GiB whole took 3 GiB. */
const RSS_LIMIT_KIB = 100 * 1024;
const SPARSE_SIZE = 2 ** 31;
/** Where the big ELF file's dynamic section lies: far beyond anything read whole by mistake. */
const FAR = 0x6000_0000;

const tmp = tempDir('path-inputs-');

function sparse(name: string, head: Array<[number, Uint8Array]> = []): string {
  const path = join(tmp, name);
  const fd = openSync(path, 'w');
  try {
    for (const [at, bytes] of head) writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
  writeFileSync(path, '', { flag: 'a' });
  spawnSync('truncate', ['-s', String(SPARSE_SIZE), path]);
  return path;
}

/** A 2 GiB ELF file whose dynamic section (DT_SONAME "libfar.so.1") lies at FAR. */
function bigElf(): string {
  return sparse('big-elf', farDynamicElf(SPARSE_SIZE, FAR, 'libfar.so.1'));
}

const fifo = join(tmp, 'fifo');
spawnSync('mkfifo', [fifo]);
const dir = join(tmp, 'dir');
mkdirSync(dir);
const zeros = sparse('zeros');
const elf = bigElf();
/** An empty binfmt_misc stand-in for `which`: enabled, no entries. */
const mount = join(tmp, 'mount');
mkdirSync(mount);
writeFileSync(join(mount, 'status'), 'enabled\n');
writeFileSync(join(mount, 'register'), '');

const INPUTS: Record<string, string> = {
  FIFO: fifo,
  '/dev/zero': '/dev/zero',
  directory: dir,
  'sparse 2 GiB': zeros,
  'sparse 2 GiB ELF': elf,
};

interface Command {
  args: (path: string) => string[];
  /** Inputs on which the command has a real answer (exit 0), with what that answer contains. */
  succeeds?: Record<string, RegExp>;
}

const out = join(tmp, 'out');
const COMMANDS: Record<string, Command> = {
  which: {
    args: (p) => ['which', '--mount', mount, p],
    succeeds: { 'sparse 2 GiB': /no binfmt_misc entry/, 'sparse 2 GiB ELF': /no binfmt_misc entry/ },
  },
  inspect: { args: (p) => ['inspect', p], succeeds: { 'sparse 2 GiB ELF': /soname: {3}libfar\.so\.1/ } },
  mark: { args: (p) => ['mark', '--dry-run', p], succeeds: { 'sparse 2 GiB ELF': /would mark/ } },
  check: { args: (p) => ['check', p], succeeds: { 'sparse 2 GiB ELF': /no PT_INTERP/ } },
  'validate --file': { args: (p) => ['validate', '--file', p] },
  'loader show': { args: (p) => ['loader', 'show', p] },
  'loader stamp --ld': { args: (p) => ['loader', 'stamp', '--dry-run', '--out', out, '--ld', p] },
  'loader stamp --embed-ld': { args: (p) => ['loader', 'stamp', '--dry-run', '--out', out, '--embed-ld', p] },
  'exec PROGRAM': { args: (p) => ['exec', '--dry-run', '--', p] },
  'exec --ld': {
    args: (p) => ['exec', '--dry-run', '--ld', p, '--', '/bin/true'],
    succeeds: { 'sparse 2 GiB ELF': /opened here/ },
  },
  'import --from systemd': {
    args: (p) => ['import', '--from', 'systemd', '--dry-run', '--out', out, p],
    succeeds: { directory: /nothing to import/ },
  },
  'import --from binfmt-support': {
    args: (p) => ['import', '--from', 'binfmt-support', '--dry-run', '--out', out, p],
    succeeds: { directory: /nothing to import/ },
  },
};

interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssKiB: number;
}

function measure(args: string[]): Measured {
  const rssFile = join(tmp, 'rss');
  rmSync(rssFile, { force: true });
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', PRELOAD, CLI, ...args], {
    encoding: 'utf8',
    timeout: HANG_MS,
    env: { ...process.env, MAX_RSS_FILE: rssFile },
  });
  const ms = Date.now() - t0;
  let rssKiB = Number.POSITIVE_INFINITY;
  try {
    rssKiB = Number(readFileSync(rssFile, 'utf8'));
  } catch {
    // no report: the run was killed or crashed
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms, rssKiB };
}

describe('every command that takes a path ends quickly and small, whatever the path is', () => {
  for (const [name, cmd] of Object.entries(COMMANDS)) {
    for (const [kind, path] of Object.entries(INPUTS)) {
      const answer = cmd.succeeds?.[kind];
      it(`${name} on ${kind}: ${answer ? 'answers' : 'one line, exit 1'}`, () => {
        const r = measure(cmd.args(path));
        expect(r.ms, `${name} ${kind} took ${r.ms} ms`).toBeLessThan(TIME_LIMIT_MS);
        expect(r.rssKiB, `${name} ${kind} peaked at ${r.rssKiB} KiB`).toBeLessThan(RSS_LIMIT_KIB);
        if (answer) {
          expect(r.status, r.stderr).toBe(0);
          expect(r.stdout).toMatch(answer);
        } else {
          expect(r.status, r.stdout).toBe(1);
          expect(r.stdout).toBe('');
          expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
          expect(r.stderr).toContain(path);
        }
      });
    }
  }
});

describe('binfmt.d files that are not text files of a sane size', () => {
  it('plan names each one as a problem and reads none of them whole', () => {
    const root = join(tmp, 'config-root');
    const d = join(root, 'etc', 'binfmt.d');
    mkdirSync(d, { recursive: true });
    spawnSync('mkfifo', [join(d, 'fifo.conf')]);
    mkdirSync(join(d, 'dir.conf'));
    spawnSync('truncate', ['-s', String(SPARSE_SIZE), join(d, 'big.conf')]);
    spawnSync('ln', ['-s', '/dev/zero', join(root, 'zero')]);
    spawnSync('ln', ['-s', '../../zero', join(d, 'zero.conf')]); // relative: read as the host resolves it
    const r = measure(['plan', '--mount', mount, '--config-root', root]);
    expect(r.ms).toBeLessThan(TIME_LIMIT_MS);
    expect(r.rssKiB).toBeLessThan(RSS_LIMIT_KIB);
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `binfmt: ${d}/big.conf: error: cannot read: ${SPARSE_SIZE} bytes, more than the 1048576 a text input may have, ignoring`,
      `binfmt: ${d}/dir.conf: error: cannot read: is a directory, not a regular file, ignoring`,
      `binfmt: ${d}/fifo.conf: error: cannot read: is a FIFO, not a regular file, ignoring`,
      `binfmt: ${d}/zero.conf: error: cannot read: is a character device, not a regular file, ignoring`,
    ]);
  });
});

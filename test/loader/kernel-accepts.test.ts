/**
 * The loader accepts what the kernel accepts, for the program headers it
 * reads: real programs with one header mutated (PT_INTERP size and NUL
 * padding, segment alignment, program header position, PT_GNU_STACK absent)
 * run through the loader exactly when they run directly. Through the loader
 * in command mode, and as a binfmt_misc interpreter (POF, sandbox).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { MOUNT, ROOT } from '../helpers/sandbox.js';
import { exec, register, sandboxedSteps, write } from '../helpers/steps.js';
import { GLIBC_LDSO, LOADER, buildFixtures, fixture } from './helpers.js';
import { parseElf64, writePhdr } from '../../src/elf/elf64.js';
import { PT_INTERP, PT_LOAD, type ProgramHeader } from '../../src/elf/program-headers.js';
import { tempDir } from '../helpers/tmp.js';

const PT_NULL = 0;
const PT_PHDR = 6;
const PT_GNU_STACK = 0x6474e551;
// A short path to glibc's ld.so, to write over a longer PT_INTERP in place.
const tmp = tempDir('bf-ka-');
const SHORT_LDSO = join(tmp, 'ld');

interface Mutant {
  name: string;
  bytes: Buffer;
  /** Run in this directory (a relative PT_INTERP). */
  cwd?: string;
}

function mutate(
  base: Buffer,
  what: string,
  f: (b: Buffer, phdrs: ProgramHeader[], phoff: number) => Buffer | void,
): Buffer {
  const b = Buffer.from(base);
  const { header, phdrs } = parseElf64(b, what);
  return f(b, phdrs, header.phoff) ?? b;
}

function setPhdr(b: Buffer, phoff: number, i: number, p: ProgramHeader): void {
  writePhdr(b, { phoff }, i, p);
}

function interpMutants(name: string, base: Buffer): Mutant[] {
  const at = (phdrs: ProgramHeader[]) => phdrs.findIndex((p) => p.type === PT_INTERP);
  const withInterp = (path: string, filesz?: (p: ProgramHeader) => number) =>
    mutate(base, name, (b, phdrs, phoff) => {
      const i = at(phdrs);
      const p = phdrs[i]!;
      b.fill(0, p.offset, p.offset + p.filesz);
      b.write(path, p.offset, 'latin1');
      if (filesz) setPhdr(b, phoff, i, { ...p, filesz: filesz(p) });
    });
  return [
    // What editing the path in place leaves: a shorter path, then NULs.
    { name: `${name}: PT_INTERP shorter path, NUL padded`, bytes: withInterp(SHORT_LDSO) },
    {
      name: `${name}: PT_INTERP exactly the path and its NUL`,
      bytes: withInterp(SHORT_LDSO, () => SHORT_LDSO.length + 1),
    },
    { name: `${name}: PT_INTERP without its NUL`, bytes: withInterp(SHORT_LDSO, () => SHORT_LDSO.length) },
    { name: `${name}: PT_INTERP of one byte`, bytes: withInterp(SHORT_LDSO, () => 1) },
    { name: `${name}: PT_INTERP past the end of the file`, bytes: withInterp(SHORT_LDSO, () => base.length) },
    { name: `${name}: PT_INTERP empty, all NULs`, bytes: withInterp('') },
    { name: `${name}: PT_INTERP relative, found in the cwd`, bytes: withInterp('ld'), cwd: tmp },
    { name: `${name}: PT_INTERP relative, not in the cwd`, bytes: withInterp('ld'), cwd: '/' },
    {
      name: `${name}: a second PT_INTERP (the kernel reads the first)`,
      bytes: mutate(base, name, (b, phdrs, phoff) => {
        const n = phdrs.findIndex((p) => p.type === PT_NULL || p.type === 0x6474e552 /* PT_GNU_RELRO */);
        if (n >= 0) setPhdr(b, phoff, n, { ...phdrs[at(phdrs)]!, filesz: 3 });
      }),
    },
  ];
}

function layoutMutants(name: string, base: Buffer): Mutant[] {
  const loads = (phdrs: ProgramHeader[]) => phdrs.map((p, i) => ({ p, i })).filter(({ p }) => p.type === PT_LOAD);
  const eachLoad = (f: (p: ProgramHeader) => ProgramHeader) =>
    mutate(base, name, (b, phdrs, phoff) => loads(phdrs).forEach(({ p, i }) => setPhdr(b, phoff, i, f(p))));
  return [
    { name: `${name}: p_align not a power of two (0x3000)`, bytes: eachLoad((p) => ({ ...p, align: 0x3000 })) },
    { name: `${name}: p_align 0`, bytes: eachLoad((p) => ({ ...p, align: 0 })) },
    { name: `${name}: p_align 2 MiB`, bytes: eachLoad((p) => ({ ...p, align: 0x200000 })) },
    { name: `${name}: p_align 2 GiB`, bytes: eachLoad((p) => ({ ...p, align: 2 ** 31 })) },
    {
      name: `${name}: no PT_GNU_STACK`,
      bytes: mutate(base, name, (b, phdrs, phoff) => {
        const i = phdrs.findIndex((p) => p.type === PT_GNU_STACK);
        if (i >= 0) setPhdr(b, phoff, i, { ...phdrs[i]!, type: PT_NULL });
      }),
    },
    {
      // A copy of the headers at the end of the file, outside every segment,
      // 4 bytes off 8-byte alignment; PT_PHDR (if any) left as it was.
      name: `${name}: program headers at the end of the file, unaligned`,
      bytes: mutate(base, name, (b, phdrs, phoff) => {
        const size = phdrs.length * 56;
        const at = b.length + 4;
        const out = Buffer.concat([b, Buffer.alloc(4), b.subarray(phoff, phoff + size)]);
        out.writeBigUInt64LE(BigInt(at), 32);
        return out;
      }),
    },
    {
      name: `${name}: program headers at the end of the file, no PT_PHDR`,
      bytes: mutate(base, name, (b, phdrs, phoff) => {
        const i = phdrs.findIndex((p) => p.type === PT_PHDR);
        if (i >= 0) setPhdr(b, phoff, i, { ...phdrs[i]!, type: PT_NULL });
        const size = phdrs.length * 56;
        const out = Buffer.concat([b, b.subarray(phoff, phoff + size)]);
        out.writeBigUInt64LE(BigInt(b.length), 32);
        return out;
      }),
    },
  ];
}

const mutants: Mutant[] = [];
function build(): void {
  buildFixtures();
  symlinkSync(GLIBC_LDSO, SHORT_LDSO);
  // A real program linked for 2 MiB pages, as -z max-page-size=0x200000 makes it.
  const big = join(tmp, 'big-page');
  const cc = spawnSync(
    'gcc',
    ['-O2', '-Wl,-z,max-page-size=0x200000', '-o', big, join(ROOT, 'test', 'fixtures', 'loader', 'probe.c')],
    {
      encoding: 'utf8',
    },
  );
  if (cc.status !== 0) throw new Error(cc.stderr);
  const bases: [string, string][] = [
    ['glibc PIE', fixture('probe')],
    ['glibc ET_EXEC', fixture('probe-nopie')],
    ['glibc static', fixture('probe-static')],
  ];
  for (const [name, file] of bases) {
    const base = readFileSync(file);
    if (!name.includes('static')) mutants.push(...interpMutants(name, base));
    mutants.push(...layoutMutants(name, base));
  }
  mutants.push({ name: 'glibc PIE linked -z max-page-size=0x200000', bytes: readFileSync(big) });
  mutants.forEach((m, i) => {
    const f = join(tmp, `m${i}.bfk`);
    writeFileSync(f, m.bytes);
    chmodSync(f, 0o755);
  });
}

const ENV = { PATH: '/usr/bin:/bin', PROBE: 'yes' };
/** "ran" when the probe printed its JSON and exited 0, else "failed" (the
 * kernel may refuse the exec itself: ENOEXEC, ENOENT, EACCES). */
function outcome(argv: string[], cwd: string): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: ENV, cwd, timeout: 30_000 });
  return !r.error && r.status === 0 && r.stdout.startsWith('{"argv"') ? 'ran' : 'failed';
}

beforeAll(build);

describe('mutated headers: the loader runs a program exactly when the kernel does', () => {
  it('in command mode', () => {
    const got: string[] = [];
    const want: string[] = [];
    mutants.forEach((m, i) => {
      const f = join(tmp, `m${i}.bfk`);
      const cwd = m.cwd ?? tmp;
      want.push(`${m.name}: ${outcome([f, 'x'], cwd)}`);
      got.push(`${m.name}: ${outcome([LOADER, '--', f, 'x'], cwd)}`);
    });
    expect(got).toEqual(want);
    if (process.env.SHOW_MATRIX) console.log(want.join('\n'));
    // The mutations are not all harmless: some must fail directly too.
    expect(want.filter((w) => w.endsWith('failed')).length).toBeGreaterThan(3);
    expect(want.filter((w) => w.endsWith('ran')).length).toBeGreaterThan(10);
  });

  it('as a binfmt_misc interpreter (POF, sandbox)', needs(sandbox()), () => {
    const runs = mutants.map((m, i) =>
      exec([join(tmp, `m${i}.bfk`), 'x'], { cwd: m.cwd ?? tmp, env: { PROBE: 'yes' } }),
    );
    // every mutant through the entry, then (the entry removed) every mutant directly
    const r = sandboxedSteps([register(`:ka:E::bfk::${LOADER}:POF\n`), ...runs, write(`${MOUNT}/ka`, '-1\n'), ...runs]);
    expect(r).toHaveLength(2 * mutants.length + 2);
    const ran = (step: (typeof r)[number]) => (step.status === 0 ? 'ran' : 'failed');
    const through = r.slice(1, 1 + mutants.length).map((step, i) => `${mutants[i]!.name}: ${ran(step)}`);
    const direct = r.slice(2 + mutants.length).map((step, i) => `${mutants[i]!.name}: ${ran(step)}`);
    expect(through).toEqual(direct);
    expect(r[1 + mutants.length]!.status).toBe(0);
  });
});

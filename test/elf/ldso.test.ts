/**
 * The two things the loader needs to know about an ld.so, checked on this
 * machine's real ones (glibc 2.36 and musl 1.2.3, both take --argv0): what it
 * is (checkLdso), and a re-layout with one page per segment for embedding
 * (relayoutForEmbedding), which must still run.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkLdso } from '../../src/elf/ldso-check.js';
import { relayoutForEmbedding } from '../../src/elf/relayout.js';
import { parseElf64 } from '../../src/elf/elf64.js';
import { PT_LOAD } from '../../src/elf/program-headers.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { thrown } from '../helpers/thrown.js';
import { ElfImage } from '../helpers/elf-image.js';
import { tempDir } from '../helpers/tmp.js';

const GLIBC = '/lib64/ld-linux-x86-64.so.2';
const MUSL = '/lib/ld-musl-x86_64.so.1';
const PAGE = 4096;
const bytes = (f: string): Uint8Array => Uint8Array.from(readFileSync(f));
const patched = (f: string, at: number, value: number[]): Uint8Array => {
  const b = bytes(f);
  b.set(value, at);
  return b;
};

describe('checkLdso', () => {
  it('knows glibc and musl, and that both take --argv0', () => {
    expect(checkLdso(bytes(GLIBC), GLIBC)).toEqual({ family: 'glibc', argv0: true });
    expect(checkLdso(bytes(MUSL), MUSL)).toEqual({ family: 'musl', argv0: true });
  });

  it('a glibc without --argv0 in its usage text (before 2.33) does not take it', () => {
    const b = bytes(GLIBC);
    const text = new TextDecoder('latin1').decode(b);
    for (let i = text.indexOf('--argv0'); i >= 0; i = text.indexOf('--argv0', i + 1))
      b.set([0x2d, 0x2d, 0x61, 0x72, 0x67, 0x76, 0x58], i);
    expect(checkLdso(b, GLIBC)).toEqual({ family: 'glibc', argv0: false });
  });

  it('refuses a program with PT_INTERP, another machine, or another ELF type', () => {
    expect(thrown(() => checkLdso(bytes('/bin/sh'), '/bin/sh'))).toMatchObject({
      code: 'ENOEXEC',
      message: '/bin/sh: not an ld.so (it has a PT_INTERP)',
    });
    expect(thrown(() => checkLdso(patched(GLIBC, 18, [183, 0]), 'x'))).toMatchObject({
      code: 'ENOEXEC',
      message: 'x: not an x86_64 ELF file (e_machine 183)',
    });
    expect(thrown(() => checkLdso(patched(GLIBC, 16, [2, 0]), 'x'))).toMatchObject({
      code: 'ENOEXEC',
      message: 'x: not an ld.so (ELF type exec, want dyn)',
    });
  });

  it('an ld.so of neither family, without --argv0', () => {
    const b = bytes(MUSL);
    const text = new TextDecoder('latin1').decode(b);
    for (let i = text.indexOf('musl libc'); i >= 0; i = text.indexOf('musl libc', i + 1)) b[i] = 0x4d;
    expect(checkLdso(b, MUSL)).toEqual({ family: 'unknown', argv0: false });
  });
});

describe('relayoutForEmbedding', () => {
  const dir = tempDir('binfmt-relayout-');

  it.each([GLIBC, MUSL])('%s: each PT_LOAD on pages of its own, same bytes, and it still runs', (f) => {
    const src = bytes(f);
    const out = relayoutForEmbedding(src, PAGE, f);
    const before = parseElf64(src, f).phdrs;
    const after = parseElf64(out, f).phdrs;
    expect(after.map((p) => ({ ...p, offset: 0 }))).toEqual(before.map((p) => ({ ...p, offset: 0 })));
    const loads = after.filter((p) => p.type === PT_LOAD);
    const { header } = parseElf64(src, f);
    const headersEnd = header.phoff + header.phnum * 56;
    const orig = before.filter((p) => p.type === PT_LOAD);
    expect(loads.length).toBeGreaterThan(1);
    loads.forEach((l, i) => {
      expect(l.offset % PAGE).toBe(l.vaddr % PAGE);
      // The same bytes, except the ELF and program headers the first segment holds (rewritten).
      const skip = i === 0 ? headersEnd : 0;
      const moved = out.subarray(l.offset + skip, l.offset + l.filesz);
      expect(Buffer.compare(moved, src.subarray(orig[i]!.offset + skip, orig[i]!.offset + orig[i]!.filesz))).toBe(0);
      if (i > 0) {
        const prev = loads[i - 1]!;
        expect(Math.floor(l.offset / PAGE)).toBeGreaterThan(Math.floor((prev.offset + prev.filesz - 1) / PAGE));
      }
    });
    expect(out.length % PAGE).toBe(0);
    // no section headers: they would point at the old layout
    const dv = new DataView(out.buffer, out.byteOffset);
    expect([dv.getBigUint64(40, true), dv.getUint16(60, true), dv.getUint16(62, true)]).toEqual([0n, 0, 0]);
    const file = join(dir, f.split('/').pop()!);
    writeFileSync(file, out);
    chmodSync(file, 0o755);
    const r = spawnSync(file, ['/bin/echo', 'ran'], { encoding: 'utf8' });
    if (f === GLIBC) expect(r.stdout).toBe('ran\n');
    else expect(r.stderr).toContain('Error relocating /bin/echo'); // musl's ld.so runs, and cannot link glibc's echo
  });

  it('refuses a truncated file, and program headers outside a loaded segment', () => {
    const src = bytes(GLIBC);
    const loads = parseElf64(src, 'x').phdrs.filter((p) => p.type === PT_LOAD);
    const last = loads.at(-1)!;
    expect(thrown(() => relayoutForEmbedding(src.subarray(0, last.offset + 1), PAGE, 'x'))).toMatchObject({
      code: 'ENOEXEC',
      message: `x: truncated (segment at offset ${last.offset} ends past the file)`,
    });
    const far = bytes(GLIBC);
    new DataView(far.buffer).setBigUint64(32, BigInt(far.length + 4096), true);
    expect(() => relayoutForEmbedding(far, PAGE, 'x')).toThrow(BinfmtError);
  });
});

describe('checkLdso on files assembled here', () => {
  /** An x86_64 ET_DYN without PT_INTERP whose last bytes are `tail`. */
  const ldso = (tail: string): Uint8Array => {
    const img = new ElfImage({ size: 128 + tail.length, segments: [] });
    img.bytes.set(
      Uint8Array.from(tail, (c) => c.charCodeAt(0)),
      128,
    );
    return img.bytes;
  };
  it.each([
    ['GLIBC_PRIVATE at the very end', '\0--argv0\0GLIBC_PRIVATE', { family: 'glibc', argv0: true }],
    ['--argv0 at the very end', 'GLIBC_PRIVATE\0--argv0', { family: 'glibc', argv0: true }],
    ['musl libc at the very end', '\0argv0\0musl libc', { family: 'musl', argv0: true }],
    ['musl without the bare word', 'xargv0\0musl libc', { family: 'musl', argv0: false }],
    ['a bare argv0 in glibc', '\0argv0\0GLIBC_PRIVATE', { family: 'glibc', argv0: false }],
    ['a string cut off by the end of the file', 'GLIBC_PRIVAT', { family: 'unknown', argv0: false }],
    ['near misses first', 'GLIBC_PRIVATGLIBC_PRIVATE musl lib', { family: 'glibc', argv0: false }],
  ])('%s', (_n, tail, facts) => {
    expect(checkLdso(ldso(tail), 'x')).toEqual(facts);
  });
});

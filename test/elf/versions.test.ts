/**
 * GNU symbol versioning records (Elf*_Verneed/Vernaux, Elf*_Verdef/Verdaux)
 * read from libraries assembled here, one record broken at a time: the chain
 * is followed by its own next-offsets, cut short by DT_VERNEEDNUM /
 * DT_VERDEFNUM and by the record counts, and a bad record is refused with
 * ENOEXEC naming the record, the field and its offset.
 */
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/elf-file.js';
import { MAX_VERSION_ENTRIES, VER_FLG_BASE, VER_FLG_WEAK } from '../../src/elf/versions.js';
import { ElfImage } from '../helpers/elf-image.js';
import { thrown } from '../helpers/thrown.js';

const BASE = 0x10000;
const DYN = 0x200;
const STR = 0x400;
const NEED = 0x600;
const DEF = 0x800;
const SIZE = 0x1000;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_VERDEF = 0x6ffffffc;
const DT_VERDEFNUM = 0x6ffffffd;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;

const NAMES = ['', 'libc.so.6', 'libm.so.6', 'GLIBC_2.2.5', 'GLIBC_2.34', 'GLIBC_PRIVATE', 'libx.so.1', 'X_1', 'X_2'];

/** A library with one PT_LOAD over the whole file, PT_DYNAMIC and a string table; `s` maps a name to its offset. */
function library(
  opts: { class?: 32 | 64; little?: boolean; size?: number; needNum?: number; defNum?: number; def?: boolean } = {},
): { img: ElfImage; s: (name: string) => number } {
  const size = opts.size ?? SIZE;
  const img = new ElfImage({
    class: opts.class,
    little: opts.little,
    size,
    segments: [
      { type: 1, offset: 0, vaddr: BASE, filesz: size },
      { type: 2, offset: DYN, vaddr: BASE + DYN, filesz: 0x100 },
    ],
  });
  const at = img.strings(STR, NAMES);
  const strsz = at[at.length - 1]! + NAMES[NAMES.length - 1]!.length + 1;
  const tags: Array<[number, number]> = [
    [DT_STRTAB, BASE + STR],
    [DT_STRSZ, strsz],
    [DT_VERNEED, BASE + NEED],
  ];
  if (opts.def !== false) tags.push([DT_VERDEF, BASE + DEF]);
  if (opts.needNum !== undefined) tags.push([DT_VERNEEDNUM, opts.needNum]);
  if (opts.defNum !== undefined) tags.push([DT_VERDEFNUM, opts.defNum]);
  img.dynamic(DYN, [...tags, [0, 0]]);
  // Until a test writes its own: one need with no versions, and a BASE verdef alone (the file's own name).
  img.verneed(NEED, { cnt: 0, file: at[1]!, aux: 0, next: 0 });
  img.verdef(DEF, { flags: VER_FLG_BASE, cnt: 1, aux: 20, next: 0 });
  img.verdaux(DEF + 20, { name: at[6]!, next: 0 });
  return { img, s: (name) => at[NAMES.indexOf(name)]! };
}

/** libc.so.6 (GLIBC_2.2.5, weak GLIBC_2.34) then libm.so.6 (GLIBC_2.2.5), as ld writes them. */
function twoFiles(img: ElfImage, s: (n: string) => number): void {
  img.verneed(NEED, { cnt: 2, file: s('libc.so.6'), aux: 16, next: 48 });
  img.vernaux(NEED + 16, { flags: VER_FLG_BASE, name: s('GLIBC_2.2.5'), next: 16 });
  img.vernaux(NEED + 32, { flags: VER_FLG_WEAK, name: s('GLIBC_2.34'), next: 0 });
  img.verneed(NEED + 48, { cnt: 1, file: s('libm.so.6'), aux: 16, next: 0 });
  img.vernaux(NEED + 64, { name: s('GLIBC_2.2.5'), next: 0 });
}

describe('verneed: the versions a file needs, by library', () => {
  it.each([
    ['ELF64 little-endian', 64, true],
    ['ELF64 big-endian', 64, false],
    ['ELF32 little-endian', 32, true],
    ['ELF32 big-endian', 32, false],
  ] as const)('%s: follows vn_next and vna_next; only VER_FLG_WEAK makes a need weak', (_n, cls, little) => {
    const { img, s } = library({ class: cls, little });
    twoFiles(img, s);
    const info = readElf(img.bytes);
    expect(info.versionsNeeded).toEqual({ 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_2.34'], 'libm.so.6': ['GLIBC_2.2.5'] });
    expect(info.weakVersions).toEqual({ 'libc.so.6': ['GLIBC_2.34'] });
  });

  it('DT_VERNEEDNUM bounds the chain even when vn_next goes on', () => {
    const { img, s } = library({ needNum: 1 });
    twoFiles(img, s);
    expect(readElf(img.bytes).versionsNeeded).toEqual({ 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_2.34'] });
  });

  it('vn_cnt bounds the aux chain even when vna_next goes on', () => {
    const { img, s } = library();
    twoFiles(img, s);
    img.verneed(NEED, { cnt: 1, file: s('libc.so.6'), aux: 16, next: 48 });
    expect(readElf(img.bytes).versionsNeeded['libc.so.6']).toEqual(['GLIBC_2.2.5']);
  });

  it('vna_next 0 ends the aux chain before vn_cnt does', () => {
    const { img, s } = library();
    twoFiles(img, s);
    img.vernaux(NEED + 16, { name: s('GLIBC_2.2.5'), next: 0 });
    expect(readElf(img.bytes).versionsNeeded['libc.so.6']).toEqual(['GLIBC_2.2.5']);
  });

  it('vn_aux and vna_next are relative to their own record', () => {
    const { img, s } = library();
    img.verneed(NEED, { cnt: 2, file: s('libx.so.1'), aux: 0x40, next: 0 });
    img.vernaux(NEED + 0x40, { name: s('X_2'), next: 0x30 });
    img.vernaux(NEED + 0x70, { name: s('X_1'), next: 0 });
    expect(readElf(img.bytes).versionsNeeded).toEqual({ 'libx.so.1': ['X_2', 'X_1'] });
  });

  it('two records for one library add to one list; vn_cnt 0 names the library with no versions', () => {
    const { img, s } = library();
    img.verneed(NEED, { cnt: 1, file: s('libc.so.6'), aux: 16, next: 32 });
    img.vernaux(NEED + 16, { name: s('GLIBC_2.2.5'), next: 0 });
    img.verneed(NEED + 32, { cnt: 1, file: s('libc.so.6'), aux: 16, next: 32 });
    img.vernaux(NEED + 48, { flags: VER_FLG_WEAK | VER_FLG_BASE, name: s('GLIBC_PRIVATE'), next: 0 });
    img.verneed(NEED + 64, { cnt: 0, file: s('libm.so.6'), aux: 0, next: 0 });
    const info = readElf(img.bytes);
    expect(info.versionsNeeded).toEqual({ 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_PRIVATE'], 'libm.so.6': [] });
    expect(info.weakVersions).toEqual({ 'libc.so.6': ['GLIBC_PRIVATE'] });
  });

  it.each([
    [
      'vn_version 2 in the first record',
      (img: ElfImage) => img.u16(NEED, 2),
      'verneed[0].vn_version',
      'malformed ELF: verneed[0].vn_version at offset 0x600: is 2, expected 1',
    ],
    [
      'vn_version 0 in the second record',
      (img: ElfImage) => img.u16(NEED + 48, 0),
      'verneed[1].vn_version',
      'malformed ELF: verneed[1].vn_version at offset 0x630: is 0, expected 1',
    ],
    [
      'vn_file beyond DT_STRSZ',
      (img: ElfImage) => img.u32(NEED + 4, 0x300),
      'verneed[0].vn_file',
      'malformed ELF: verneed[0].vn_file at offset 0x700: string offset 768 is beyond DT_STRSZ 76',
    ],
    [
      'vna_name of the second version beyond DT_STRSZ',
      (img: ElfImage) => img.u32(NEED + 32 + 8, 76),
      'verneed[0].vernaux[1].vna_name',
      'malformed ELF: verneed[0].vernaux[1].vna_name at offset 0x44c: string offset 76 is beyond DT_STRSZ 76',
    ],
    [
      'vn_aux past the end of the file',
      (img: ElfImage) => img.u32(NEED + 8, SIZE),
      'verneed[0].vernaux[0].vna_flags',
      'malformed ELF: verneed[0].vernaux[0].vna_flags at offset 0x1604: needs 2 bytes but the file has 4096',
    ],
    [
      'vna_next past the end of the file',
      (img: ElfImage) => img.u32(NEED + 16 + 12, SIZE),
      'verneed[0].vernaux[1].vna_flags',
      'malformed ELF: verneed[0].vernaux[1].vna_flags at offset 0x1614: needs 2 bytes but the file has 4096',
    ],
    [
      'vn_next into the last bytes of the file',
      (img: ElfImage) => {
        img.u32(NEED + 12, SIZE - NEED - 4);
        img.u16(SIZE - 4, 1);
      },
      'verneed[1].vn_file',
      'malformed ELF: verneed[1].vn_file at offset 0x1000: needs 4 bytes but the file has 4096',
    ],
  ])('refuses %s, naming the field', (_n, edit, field, message) => {
    const { img, s } = library();
    twoFiles(img, s);
    edit(img);
    expect(thrown(() => readElf(img.bytes))).toMatchObject({ code: 'ENOEXEC', field, message });
  });

  it(`reads at most MAX_VERSION_ENTRIES (${MAX_VERSION_ENTRIES}) records, whatever DT_VERNEEDNUM says`, () => {
    for (const needNum of [undefined, MAX_VERSION_ENTRIES + 1]) {
      const size = NEED + (MAX_VERSION_ENTRIES + 1) * 16;
      const { img, s } = library({ size, needNum, def: false });
      for (let i = 0; i <= MAX_VERSION_ENTRIES; i++)
        img.verneed(NEED + i * 16, { cnt: 0, file: s('libc.so.6'), aux: 0, next: 16 });
      // the record after the last one read is broken: reading it would throw
      img.u16(NEED + MAX_VERSION_ENTRIES * 16, 2);
      expect(readElf(img.bytes).versionsNeeded).toEqual({ 'libc.so.6': [] });
    }
  });
});

describe('verdef: the versions a library defines', () => {
  /** The BASE record, then X_1 (two verdaux: only the first names it), then X_2 (weak). */
  function defs(img: ElfImage, s: (n: string) => number): void {
    img.verdef(DEF, { flags: VER_FLG_BASE, cnt: 1, aux: 20, next: 28 });
    img.verdaux(DEF + 20, { name: s('libx.so.1'), next: 0 });
    img.verdef(DEF + 28, { cnt: 2, aux: 20, next: 36 });
    img.verdaux(DEF + 48, { name: s('X_1'), next: 8 });
    img.verdaux(DEF + 56, { name: s('GLIBC_PRIVATE'), next: 0 });
    img.verdef(DEF + 64, { flags: VER_FLG_WEAK, cnt: 1, aux: 20, next: 0 });
    img.verdaux(DEF + 84, { name: s('X_2'), next: 0 });
  }

  it.each([
    [64, true],
    [64, false],
    [32, true],
    [32, false],
  ] as const)(
    'ELF%i (little-endian %s): every name but the VER_FLG_BASE one, from the first verdaux',
    (cls, little) => {
      const { img, s } = library({ class: cls, little });
      defs(img, s);
      expect(readElf(img.bytes).versionsDefined).toEqual(['X_1', 'X_2']);
    },
  );

  it('a file with only its BASE record defines nothing', () => {
    expect(readElf(library().img.bytes).versionsDefined).toEqual([]);
  });

  it('vd_cnt 0 names nothing; DT_VERDEFNUM bounds the chain', () => {
    const a = library();
    defs(a.img, a.s);
    a.img.u16(DEF + 28 + 6, 0);
    expect(readElf(a.img.bytes).versionsDefined).toEqual(['X_2']);
    const b = library({ defNum: 2 });
    defs(b.img, b.s);
    expect(readElf(b.img.bytes).versionsDefined).toEqual(['X_1']);
  });

  it.each([
    [
      'vd_version 0',
      (img: ElfImage) => img.u16(DEF, 0),
      'verdef[0].vd_version',
      'malformed ELF: verdef[0].vd_version at offset 0x800: is 0, expected 1',
    ],
    [
      'vd_version 2 in the third record',
      (img: ElfImage) => img.u16(DEF + 64, 2),
      'verdef[2].vd_version',
      'malformed ELF: verdef[2].vd_version at offset 0x840: is 2, expected 1',
    ],
    [
      'vd_aux past the end of the file',
      (img: ElfImage) => img.u32(DEF + 28 + 12, SIZE),
      'verdef[1].verdaux[0].vda_name',
      'malformed ELF: verdef[1].verdaux[0].vda_name at offset 0x181c: needs 4 bytes but the file has 4096',
    ],
    [
      'vda_name beyond DT_STRSZ',
      (img: ElfImage) => img.u32(DEF + 84, 999),
      'verdef[2].verdaux[0].vda_name',
      'malformed ELF: verdef[2].verdaux[0].vda_name at offset 0x7e7: string offset 999 is beyond DT_STRSZ 76',
    ],
    [
      'vd_next into the last bytes of the file',
      (img: ElfImage) => {
        img.u32(DEF + 64 + 16, SIZE - DEF - 64 - 4);
        img.u16(SIZE - 4, 1);
      },
      'verdef[3].vd_cnt',
      'malformed ELF: verdef[3].vd_cnt at offset 0x1002: needs 2 bytes but the file has 4096',
    ],
  ])('refuses %s, naming the field', (_n, edit, field, message) => {
    const { img, s } = library();
    defs(img, s);
    edit(img);
    expect(thrown(() => readElf(img.bytes))).toMatchObject({ code: 'ENOEXEC', field, message });
  });

  it(`reads at most MAX_VERSION_ENTRIES (${MAX_VERSION_ENTRIES}) records, whatever DT_VERDEFNUM says`, () => {
    for (const defNum of [undefined, MAX_VERSION_ENTRIES + 1]) {
      const size = DEF + (MAX_VERSION_ENTRIES + 1) * 20;
      const { img } = library({ size, defNum });
      for (let i = 0; i <= MAX_VERSION_ENTRIES; i++)
        img.verdef(DEF + i * 20, { flags: VER_FLG_BASE, cnt: 1, aux: 0, next: 20 });
      img.u16(DEF + MAX_VERSION_ENTRIES * 20, 2);
      expect(readElf(img.bytes).versionsDefined).toEqual([]);
    }
  });
});

describe('a version record cut by the end of the file names the field it was reading', () => {
  /** Writes with `write` into a library 32 bytes longer than SIZE, then reads only its first SIZE bytes. */
  const cut = (write: (img: ElfImage, s: (n: string) => number) => void) => {
    const { img, s } = library({ size: SIZE + 32 });
    write(img, s);
    return thrown(() => readElf(img.bytes.subarray(0, SIZE)));
  };
  const end = (field: string, at: number, size: number) => ({
    code: 'ENOEXEC',
    field,
    message: `malformed ELF: ${field} at offset 0x${at.toString(16)}: needs ${size} bytes but the file has ${SIZE}`,
  });

  it.each([
    ['vn_version', 1, 0, 2],
    ['vn_cnt', 2, 2, 2],
    ['vn_file', 4, 4, 4],
    ['vn_aux', 8, 8, 4],
    ['vn_next', 12, 12, 4],
  ])('verneed %s', (name, k, at, size) => {
    const o = SIZE - k;
    const e = cut((img, s) => {
      img.verneed(NEED, { cnt: 0, file: s('libc.so.6'), aux: 0, next: o - NEED });
      img.verneed(o, { cnt: 0, file: s('libm.so.6'), aux: 0, next: 0 });
    });
    expect(e).toMatchObject(end(`verneed[1].${name}`, o + at, size));
  });

  it.each([
    ['vna_flags', 4, 4, 2],
    ['vna_name', 8, 8, 4],
    ['vna_next', 12, 12, 4],
  ])('vernaux %s', (name, k, at, size) => {
    const a = SIZE - k;
    const e = cut((img, s) => {
      img.verneed(NEED, { cnt: 2, file: s('libc.so.6'), aux: 16, next: 0 });
      img.vernaux(NEED + 16, { name: s('GLIBC_2.2.5'), next: a - NEED - 16 });
      img.vernaux(a, { name: s('GLIBC_2.34'), next: 0 });
    });
    expect(e).toMatchObject(end(`verneed[0].vernaux[1].${name}`, a + at, size));
  });

  it.each([
    ['vd_version', 1, 0, 2],
    ['vd_flags', 2, 2, 2],
    ['vd_cnt', 6, 6, 2],
    ['vd_aux', 12, 12, 4],
    ['vd_next', 16, 16, 4],
  ])('verdef %s', (name, k, at, size) => {
    const o = SIZE - k;
    const e = cut((img) => {
      img.verdef(DEF, { flags: VER_FLG_BASE, cnt: 1, aux: 20, next: o - DEF });
      img.verdef(o, { flags: VER_FLG_BASE, cnt: 1, aux: 0, next: 0 });
    });
    expect(e).toMatchObject(end(`verdef[1].${name}`, o + at, size));
  });
});

/**
 * The dynamic section as ld.so reads it, on files assembled here: tags up to
 * DT_NULL or the end of PT_DYNAMIC, addresses mapped to file offsets through
 * the PT_LOAD that covers them, strings bounded by DT_STRSZ. Each odd table
 * gets the exact value or an ENOEXEC naming the tag and offset.
 */
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/elf-file.js';
import {
  DF_1_PIE,
  DT_FLAGS_1,
  DT_NEEDED,
  DT_NULL,
  DT_RPATH,
  DT_RUNPATH,
  DT_SONAME,
  DT_STRSZ,
  DT_STRTAB,
  DT_VERDEF,
  DT_VERNEED,
  DT_VERNEEDNUM,
} from '../../src/elf/dynamic.js';
import { ElfImage, type Segment } from '../helpers/elf-image.js';
import { thrown } from '../helpers/thrown.js';

const BASE = 0x10000;
const DYN = 0x200;
const STR = 0x400;
const SIZE = 0x800;
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_NOTE = 4;
/** Offsets 0, 1, 11, 21, 31, 39; DT_STRSZ 48. */
const STRINGS = ['', 'libc.so.6', 'libm.so.6', 'libx.so.1', '/opt/rp', '/opt/run'];
const [, LIBC, LIBM, LIBX, RP, RUN] = [0, 1, 11, 21, 31, 39];
const STRSZ = 48;
const STRTABS: Array<[number, number]> = [
  [DT_STRTAB, BASE + STR],
  [DT_STRSZ, STRSZ],
];

interface Opts {
  class?: 32 | 64;
  little?: boolean;
  type?: number;
  /** PT_DYNAMIC's p_filesz; default: the tags given. */
  dynSize?: number;
  segments?: Segment[];
}

/** One PT_LOAD over the whole file at BASE, PT_DYNAMIC at DYN holding `tags` as given, STRINGS at STR. */
function withTags(tags: Array<[number, number | bigint]>, o: Opts = {}): ElfImage {
  const ent = (o.class ?? 64) === 64 ? 16 : 8;
  const img = new ElfImage({
    class: o.class,
    little: o.little,
    type: o.type,
    size: SIZE,
    segments: o.segments ?? [
      { type: PT_LOAD, offset: 0, vaddr: BASE, filesz: SIZE },
      { type: PT_DYNAMIC, offset: DYN, vaddr: BASE + DYN, filesz: o.dynSize ?? tags.length * ent },
    ],
  });
  img.strings(STR, STRINGS);
  img.dynamic(DYN, tags);
  return img;
}

const refusal = (img: ElfImage) => thrown(() => readElf(img.bytes));

describe('dynamic section: the values ld.so reads', () => {
  it.each([
    [64, true],
    [64, false],
    [32, true],
    [32, false],
  ] as const)('ELF%i (little-endian %s): every DT_NEEDED in order, SONAME, RUNPATH, RPATH, PIE', (cls, little) => {
    const img = withTags(
      [
        [DT_NEEDED, LIBC],
        [-1, 0], // a tag no one defines is skipped
        ...STRTABS,
        [DT_SONAME, LIBX],
        [DT_RUNPATH, RUN],
        [DT_RPATH, RP],
        [DT_FLAGS_1, DF_1_PIE | 1],
        [DT_NEEDED, LIBM],
        [DT_NULL, 0],
      ],
      { class: cls, little },
    );
    expect(readElf(img.bytes)).toMatchObject({
      class: cls,
      endian: little ? 'little' : 'big',
      dynamic: true,
      needed: ['libc.so.6', 'libm.so.6'],
      soname: 'libx.so.1',
      runpath: '/opt/run',
      rpath: '/opt/rp',
      pie: true,
      versionsNeeded: {},
      versionsDefined: [],
    });
  });

  it('no PT_DYNAMIC: not dynamic, nothing needed', () => {
    const img = withTags([], { segments: [{ type: PT_LOAD, offset: 0, vaddr: BASE, filesz: SIZE }] });
    expect(readElf(img.bytes)).toMatchObject({
      dynamic: false,
      needed: [],
      soname: null,
      runpath: null,
      rpath: null,
      pie: false,
      versionsNeeded: {},
      weakVersions: {},
      versionsDefined: [],
    });
  });

  it('a PIE is ET_DYN with DF_1_PIE: neither alone is one', () => {
    const pie = (type: number, flags1: number | null) =>
      readElf(
        withTags([...STRTABS, ...(flags1 === null ? [] : [[DT_FLAGS_1, flags1] as [number, number]])], { type }).bytes,
      ).pie;
    expect(pie(ET_DYN, DF_1_PIE)).toBe(true);
    expect(pie(ET_EXEC, DF_1_PIE)).toBe(false);
    expect(pie(ET_DYN, DF_1_PIE >>> 1)).toBe(false);
    expect(pie(ET_DYN, null)).toBe(false);
  });

  it('the first of two tags wins (ld never writes two SONAMEs)', () => {
    const img = withTags([...STRTABS, [DT_SONAME, LIBX], [DT_SONAME, LIBC]]);
    expect(readElf(img.bytes).soname).toBe('libx.so.1');
  });

  it('DT_NULL ends the table: tags after it are not read', () => {
    const img = withTags([...STRTABS, [DT_NEEDED, LIBC], [DT_NULL, 0], [DT_NEEDED, LIBM], [DT_SONAME, 9999]]);
    expect(readElf(img.bytes)).toMatchObject({ needed: ['libc.so.6'], soname: null });
  });

  it.each([
    [64, 16],
    [32, 8],
  ] as const)('ELF%i without DT_NULL: the last whole entry counts, a partial one does not', (cls, ent) => {
    const tags: Array<[number, number]> = [...STRTABS, [DT_NEEDED, LIBC], [DT_NEEDED, LIBM]];
    expect(readElf(withTags(tags, { class: cls }).bytes).needed).toEqual(['libc.so.6', 'libm.so.6']);
    expect(readElf(withTags(tags, { class: cls, dynSize: 4 * ent - 1 }).bytes).needed).toEqual(['libc.so.6']);
  });

  it('the last string of the table, and an empty one, are read', () => {
    const img = withTags([...STRTABS, [DT_SONAME, STRSZ - 1], [DT_RUNPATH, RUN]]);
    expect(readElf(img.bytes)).toMatchObject({ soname: '', runpath: '/opt/run' });
  });

  it('addresses map through the PT_LOAD that covers them, not through other segments', () => {
    // two PT_LOADs at different (address - offset) deltas; a PT_NOTE first that claims the same addresses
    const segments: Segment[] = [
      { type: PT_NOTE, offset: 0x600, vaddr: 0x20300, filesz: 0x200 },
      { type: PT_LOAD, offset: 0, vaddr: BASE, filesz: 0x300 },
      { type: PT_LOAD, offset: 0x300, vaddr: 0x20300, filesz: SIZE - 0x300 },
      { type: PT_DYNAMIC, offset: DYN, vaddr: BASE + DYN, filesz: 0x40 },
    ];
    const img = withTags(
      [
        [DT_STRTAB, 0x20000 + STR],
        [DT_STRSZ, STRSZ],
        [DT_NEEDED, LIBM],
      ],
      { segments },
    );
    expect(readElf(img.bytes).needed).toEqual(['libm.so.6']);
  });

  it('a string table in the last byte of a PT_LOAD is mapped; one byte further is not', () => {
    const last = withTags([
      [DT_STRTAB, BASE + SIZE - 1],
      [DT_STRSZ, 1],
      [DT_SONAME, 0],
    ]);
    expect(readElf(last.bytes).soname).toBe('');
    const past = withTags([
      [DT_STRTAB, BASE + SIZE],
      [DT_STRSZ, 1],
    ]);
    expect(refusal(past)).toMatchObject({
      field: 'DT_STRTAB',
      message: 'malformed ELF: DT_STRTAB at offset 0x200: address 0x10800 is not in any PT_LOAD',
    });
  });

  it('PT_DYNAMIC as the first program header', () => {
    const segments: Segment[] = [
      { type: PT_DYNAMIC, offset: DYN, vaddr: BASE + DYN, filesz: 0x40 },
      { type: PT_LOAD, offset: 0, vaddr: BASE, filesz: SIZE },
    ];
    expect(readElf(withTags([...STRTABS, [DT_NEEDED, LIBC]], { segments }).bytes).needed).toEqual(['libc.so.6']);
  });

  it('DT_VERNEEDNUM without DT_VERNEED reads no versions', () => {
    expect(readElf(withTags([...STRTABS, [DT_VERNEEDNUM, 3]]).bytes).versionsNeeded).toEqual({});
  });
});

describe('dynamic section: odd tables are refused, naming the tag', () => {
  it.each([
    [
      'PT_DYNAMIC past the end of the file',
      withTags([...STRTABS], { dynSize: SIZE }),
      'phdr[1] PT_DYNAMIC',
      'malformed ELF: phdr[1] PT_DYNAMIC at offset 0x200: needs 2048 bytes but the file has 2048',
    ],
    [
      'DT_NEEDED without DT_STRTAB',
      withTags([[DT_NEEDED, LIBC]]),
      'DT_NEEDED',
      'malformed ELF: DT_NEEDED at offset 0x200: has a string but there is no DT_STRTAB',
    ],
    [
      'DT_SONAME at DT_STRSZ',
      withTags([...STRTABS, [DT_SONAME, STRSZ]]),
      'DT_SONAME',
      'malformed ELF: DT_SONAME at offset 0x430: string offset 48 is beyond DT_STRSZ 48',
    ],
    [
      'DT_RUNPATH without DT_STRSZ',
      withTags([
        [DT_STRTAB, BASE + STR],
        [DT_RUNPATH, 0],
      ]),
      'DT_RUNPATH',
      'malformed ELF: DT_RUNPATH at offset 0x400: string offset 0 is beyond DT_STRSZ 0',
    ],
    [
      'a DT_RPATH string that DT_STRSZ cuts before its NUL',
      withTags([
        [DT_STRTAB, BASE + STR],
        [DT_STRSZ, RP + 3],
        [DT_RPATH, RP],
      ]),
      'DT_RPATH',
      'malformed ELF: DT_RPATH at offset 0x41f: string is not NUL-terminated',
    ],
    [
      'a string table that runs past the end of the file',
      withTags([
        [DT_STRTAB, BASE + STR],
        [DT_STRSZ, SIZE - STR + 1],
      ]),
      'DT_STRTAB',
      'malformed ELF: DT_STRTAB at offset 0x400: needs 1025 bytes but the file has 2048',
    ],
    [
      'DT_VERNEED at an address no PT_LOAD maps',
      withTags([...STRTABS, [DT_VERNEED, 0x90000]]),
      'DT_VERNEED',
      'malformed ELF: DT_VERNEED at offset 0x200: address 0x90000 is not in any PT_LOAD',
    ],
    [
      'DT_VERDEF at an address no PT_LOAD maps',
      withTags([...STRTABS, [DT_VERDEF, 0x5]]),
      'DT_VERDEF',
      'malformed ELF: DT_VERDEF at offset 0x200: address 0x5 is not in any PT_LOAD',
    ],
    [
      'a d_val beyond 2^53',
      withTags([...STRTABS, [DT_NEEDED, 1n << 60n]]),
      'd_val',
      'malformed ELF: d_val at offset 0x228: value 0x1000000000000000 is out of range',
    ],
  ])('%s', (_n, img, field, message) => {
    expect(refusal(img)).toMatchObject({ code: 'ENOEXEC', field, message });
  });
});

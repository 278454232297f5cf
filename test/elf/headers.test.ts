/**
 * The ELF header and program header table on files assembled here, in both
 * classes and byte orders: every field read back as written, the limits the
 * kernel applies (64 KiB of program headers) at their exact boundary, and
 * each out-of-range value refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseElfHeader } from '../../src/elf/header.js';
import {
  MAX_PHDR_BYTES,
  PT_LOAD,
  parseProgramHeaders,
  readInterp,
  vaddrToOffset,
  type ProgramHeader,
} from '../../src/elf/program-headers.js';
import { readElf } from '../../src/elf/elf-file.js';
import { ElfImage, type Segment } from '../helpers/elf-image.js';
import { thrown } from '../helpers/thrown.js';

const PT_INTERP = 3;
const SEGMENTS: Segment[] = [
  { type: PT_INTERP, offset: 0x100, vaddr: 0x400100, filesz: 7, flags: 4, align: 1 },
  { type: PT_LOAD, offset: 0, vaddr: 0x400000, filesz: 0x180, memsz: 0x2345, flags: 5, align: 0x1000 },
];

function image(cls: 32 | 64, little: boolean): ElfImage {
  const img = new ElfImage({ class: cls, little, type: 2, machine: 20, size: 0x180, segments: SEGMENTS });
  img.word(24, 0x400123); // e_entry
  img.word(cls === 64 ? 40 : 32, 0x150); // e_shoff
  img.u32(cls === 64 ? 48 : 36, 0xa5a50001); // e_flags
  img.bytes[7] = 3; // EI_OSABI: Linux
  img.strings(0x100, ['/ld.so']);
  return img;
}

describe('ELF header', () => {
  it.each([
    [64, true],
    [64, false],
    [32, true],
    [32, false],
  ] as const)('ELF%i little-endian %s: every field as written', (cls, little) => {
    const { header } = parseElfHeader(image(cls, little).bytes);
    expect(header).toEqual({
      class: cls,
      endian: little ? 'little' : 'big',
      osabi: 3,
      type: 'exec',
      machine: 20,
      machineName: 'ppc',
      entry: 0x400123,
      phoff: cls === 64 ? 64 : 52,
      shoff: 0x150,
      flags: 0xa5a50001,
      flagsOffset: cls === 64 ? 48 : 36,
      phentsize: cls === 64 ? 56 : 32,
      phnum: 2,
    });
  });

  it.each([
    [0, 'none'],
    [1, 'rel'],
    [3, 'dyn'],
    [4, 'core'],
    [5, 'other'],
    [0xfe00, 'other'],
  ])('e_type %i is %s', (n, type) => {
    const img = image(64, true);
    img.u16(16, n);
    expect(parseElfHeader(img.bytes).header.type).toBe(type);
  });

  it('15 bytes are not an ELF file; 16 with the magic are a truncated one', () => {
    const b = image(64, true).bytes;
    expect(thrown(() => parseElfHeader(b.subarray(0, 15)))).toMatchObject({ field: 'e_ident[EI_MAG]' });
    expect(thrown(() => parseElfHeader(b.subarray(0, 16)))).toMatchObject({
      field: 'ELF header',
      message: 'malformed ELF: ELF header at offset 0x0: needs 64 bytes but the file has 16',
    });
    expect(thrown(() => parseElfHeader(image(32, false).bytes.subarray(0, 51)))).toMatchObject({
      message: 'malformed ELF: ELF header at offset 0x0: needs 52 bytes but the file has 51',
    });
  });

  it.each([
    ['e_entry', 24, 'malformed ELF: e_entry at offset 0x18: value 0x20000000000000 is out of range'],
    ['e_shoff', 40, 'malformed ELF: e_shoff at offset 0x28: value 0x20000000000000 is out of range'],
  ])('%s beyond 2^53 is refused', (field, at, message) => {
    const img = image(64, true);
    img.word(at, 1n << 53n);
    expect(thrown(() => parseElfHeader(img.bytes))).toMatchObject({ code: 'ENOEXEC', field, message });
  });
});

describe('program header table', () => {
  const read = (img: ElfImage): ProgramHeader[] => {
    const { header, reader } = parseElfHeader(img.bytes);
    return parseProgramHeaders(reader, header);
  };

  it.each([
    [64, true],
    [64, false],
    [32, true],
    [32, false],
  ] as const)('ELF%i little-endian %s: every field as written, and PT_INTERP', (cls, little) => {
    const img = image(cls, little);
    expect(read(img)).toEqual(SEGMENTS.map((s) => ({ memsz: s.filesz, ...s })));
    expect(readElf(img.bytes).interp).toBe('/ld.so');
  });

  it('no program headers: none read, whatever e_phentsize says', () => {
    const img = new ElfImage({ size: 64, segments: [] });
    img.u16(54, 0);
    expect(read(img)).toEqual([]);
    expect(readElf(img.bytes)).toMatchObject({ interp: null, dynamic: false });
  });

  it.each([
    [32, 2048, null],
    [32, 2049, 'malformed ELF: e_phnum at offset 0x2c: 2049 program headers exceed 65536 bytes'],
    [64, 1170, null],
    [64, 1171, 'malformed ELF: e_phnum at offset 0x38: 1171 program headers exceed 65536 bytes'],
  ] as const)('ELF%i: %i program headers against the 64 KiB limit', (cls, n, message) => {
    const ent = cls === 64 ? 56 : 32;
    const img = new ElfImage({ class: cls, size: 64 + n * ent, segments: [] });
    img.u16(cls === 64 ? 56 : 44, n);
    if (message === null) {
      expect(n * ent).toBeLessThanOrEqual(MAX_PHDR_BYTES);
      expect(read(img)).toHaveLength(n);
    } else expect(thrown(() => read(img))).toMatchObject({ code: 'ENOEXEC', field: 'e_phnum', message });
  });

  it.each([
    ['p_offset', 8],
    ['p_vaddr', 16],
    ['p_filesz', 32],
    ['p_memsz', 40],
    ['p_align', 48],
  ])('ELF64 %s beyond 2^53 is refused, naming the header', (field, at) => {
    const img = image(64, true);
    img.word(64 + 56 + at, 1n << 60n);
    expect(thrown(() => read(img))).toMatchObject({
      field: `phdr[1].${field}`,
      message: `malformed ELF: phdr[1].${field} at offset 0x${(64 + 56 + at).toString(16)}: value 0x1000000000000000 is out of range`,
    });
  });

  it('a PT_INTERP without its NUL names the header', () => {
    const img = image(32, true);
    img.bytes[0x106] = 0x41;
    expect(thrown(() => readElf(img.bytes))).toMatchObject({
      field: 'phdr[0] PT_INTERP',
      message: 'malformed ELF: phdr[0] PT_INTERP at offset 0x100: string is not NUL-terminated',
    });
    const { header, reader } = parseElfHeader(img.bytes);
    expect(thrown(() => readInterp(reader, parseProgramHeaders(reader, header)))).toMatchObject({
      field: 'phdr[0] PT_INTERP',
    });
  });
});

describe('vaddrToOffset', () => {
  const phdrs: ProgramHeader[] = [
    { type: PT_INTERP, offset: 0x900, vaddr: 0x1000, filesz: 0x100, memsz: 0x100, flags: 4, align: 1 },
    { type: PT_LOAD, offset: 0x200, vaddr: 0x1000, filesz: 0x100, memsz: 0x800, flags: 5, align: 0x1000 },
    { type: PT_LOAD, offset: 0x300, vaddr: 0x3000, filesz: 0x10, memsz: 0x10, flags: 6, align: 0x1000 },
  ];
  it.each([
    [0x1000, 1, 0x200],
    [0x10ff, 1, 0x2ff],
    [0x10f0, 0x10, 0x2f0],
    [0x3008, 8, 0x308],
    [0xfff, 1, null],
    [0x1100, 1, null], // in p_memsz, not in the file
    [0x10f0, 0x11, null],
    [0x3008, 9, null],
  ])('0x%s (%i bytes) → %s', (vaddr, size, off) => {
    expect(vaddrToOffset(phdrs, vaddr, size)).toBe(off);
  });
  it('one byte by default', () => {
    expect(vaddrToOffset(phdrs, 0x300f)).toBe(0x30f);
    expect(vaddrToOffset(phdrs, 0x3010)).toBeNull();
  });
});

/**
 * The ELF64 writers (elf64.ts) and the re-layout for embedding (relayout.ts)
 * on an ld.so-shaped file assembled here: two PT_LOADs sharing a file page as
 * musl's ld.so does, a PT_DYNAMIC inside the second, and segments inside no
 * PT_LOAD. Every output offset is checked against the value worked out by
 * hand, and every refusal by its exact message.
 */
import { describe, expect, it } from 'vitest';
import { clearSectionHeaders, pageUp, parseElf64, writePhdr } from '../../src/elf/elf64.js';
import { relayoutForEmbedding } from '../../src/elf/relayout.js';
import { ElfImage, type Segment } from '../helpers/elf-image.js';
import { thrown } from '../helpers/thrown.js';

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_NOTE = 4;
const PT_GNU_STACK = 0x6474e551;
const SIZE = 0x1400;
const PHOFF = 64;
/** The end of the program header table: 6 headers of 56 bytes. */
const PH_END = PHOFF + 6 * 56;

/** load0 [0, 0x1234) at 0; load1 [0x1234, 0x1334) at 0x2234, sharing load0's last file page. */
function ldso(edit: Partial<Record<'load0' | 'load1', Partial<Segment>>> = {}, size = SIZE): ElfImage {
  const segments: Segment[] = [
    { type: PT_LOAD, offset: 0, vaddr: 0, filesz: 0x1234, flags: 5, align: 0x1000, ...edit.load0 },
    {
      type: PT_LOAD,
      offset: 0x1234,
      vaddr: 0x2234,
      filesz: 0x100,
      memsz: 0x300,
      flags: 6,
      align: 0x1000,
      ...edit.load1,
    },
    { type: PT_DYNAMIC, offset: 0x1300, vaddr: 0x2300, filesz: 0x20, flags: 6, align: 8 },
    { type: PT_GNU_STACK, offset: 0, vaddr: 0, filesz: 0, flags: 6, align: 16 },
    { type: PT_NOTE, offset: 0x1380, vaddr: 0x3380, filesz: 0x10, align: 4 },
    // straddles the end of load0 and the start of load1: inside neither
    { type: PT_NOTE, offset: 0x1200, vaddr: 0x1200, filesz: 0x100, align: 4 },
  ];
  const img = new ElfImage({ size, segments });
  for (let i = PH_END; i < size; i++) img.bytes[i] = (i * 7 + 3) & 0xff;
  segments.forEach((s, i) => img.view.setBigUint64(PHOFF + i * 56 + 24, 0xdeadn, true)); // p_paddr: not p_vaddr
  img.u32(48, 0x12345678); // e_flags
  img.word(40, 0x1390); // e_shoff
  img.u16(58, 64); // e_shentsize
  img.u16(60, 3); // e_shnum
  img.u16(62, 2); // e_shstrndx
  return img;
}

describe('relayoutForEmbedding', () => {
  it.each([
    [0x1000, 0x3000],
    [0x2000, 0x4000],
  ])('page %i: each PT_LOAD on pages of its own, the other headers follow their bytes', (page, length) => {
    const src = ldso();
    const out = relayoutForEmbedding(src.bytes, page, 'ld.so');
    expect(out.length).toBe(length);
    const { header, phdrs } = parseElf64(out, 'out');
    expect(phdrs.map((p) => [p.type, p.offset, p.vaddr, p.filesz, p.memsz, p.flags, p.align])).toEqual([
      [PT_LOAD, 0, 0, 0x1234, 0x1234, 5, 0x1000],
      [PT_LOAD, 0x2234, 0x2234, 0x100, 0x300, 6, 0x1000],
      [PT_DYNAMIC, 0x2300, 0x2300, 0x20, 0x20, 6, 8],
      [PT_GNU_STACK, 0, 0, 0, 0, 6, 16],
      [PT_NOTE, 0x1380, 0x3380, 0x10, 0x10, 4, 4],
      [PT_NOTE, 0x1200, 0x1200, 0x100, 0x100, 4, 4],
    ]);
    const v = new DataView(out.buffer);
    // p_paddr is rewritten as p_vaddr
    expect(phdrs.map((_, i) => v.getBigUint64(PHOFF + i * 56 + 24, true))).toEqual(phdrs.map((p) => BigInt(p.vaddr)));
    // the bytes: load0 in place, load1 moved, zeros between them
    expect(Buffer.compare(out.subarray(PH_END, 0x1234), src.bytes.subarray(PH_END, 0x1234))).toBe(0);
    expect(Buffer.compare(out.subarray(0x2234, 0x2334), src.bytes.subarray(0x1234, 0x1334))).toBe(0);
    expect(out.subarray(0x1234, 0x2234).every((b) => b === 0)).toBe(true);
    expect(out.subarray(0x2334).every((b) => b === 0)).toBe(true);
    // header: the same but for the section headers, which are gone
    expect(header).toMatchObject({ phoff: PHOFF, phnum: 6, flags: 0x12345678, shoff: 0, type: 'dyn' });
    expect([v.getUint16(52, true), v.getUint16(54, true), v.getUint16(58, true)]).toEqual([64, 56, 0]);
    expect([v.getUint16(60, true), v.getUint16(62, true)]).toEqual([0, 0]);
  });

  it('a segment that starts where the second PT_LOAD starts moves with it', () => {
    const img = ldso();
    img.phdr(PHOFF, 3, { type: PT_GNU_STACK, offset: 0x1234, vaddr: 0x2234, filesz: 0x10 });
    expect(parseElf64(relayoutForEmbedding(img.bytes, 0x1000, 'x'), 'x').phdrs[3]!.offset).toBe(0x2234);
  });

  it('overlapping PT_LOADs: one inside another gets its own copy of the bytes', () => {
    const img = ldso({ load1: { offset: 0x100, vaddr: 0x5100, filesz: 0x100, memsz: 0x100 } });
    const out = relayoutForEmbedding(img.bytes, 0x1000, 'x');
    expect(out.length).toBe(0x3000);
    expect(parseElf64(out, 'x').phdrs[1]).toMatchObject({ offset: 0x2100, vaddr: 0x5100 });
    expect(Buffer.compare(out.subarray(0x2100, 0x2200), img.bytes.subarray(0x100, 0x200))).toBe(0);
  });

  it('overlapping PT_LOADs: program headers in the one that holds them whole, which moves, are refused', () => {
    // load0 holds the first bytes of the table only; load1 (also from offset 0) holds it whole
    const img = ldso({ load0: { filesz: 0x100 }, load1: { offset: 0, vaddr: 0x10000, filesz: 0x1234 } });
    expect(thrown(() => relayoutForEmbedding(img.bytes, 0x1000, 'x')).message).toBe(
      'x: its program headers would move (first segment not at offset 0)',
    );
  });

  it('program headers that end exactly at the end of the first PT_LOAD are inside it', () => {
    const out = relayoutForEmbedding(ldso({ load0: { filesz: PH_END } }).bytes, 0x1000, 'x');
    expect(parseElf64(out, 'x').phdrs[0]).toMatchObject({ offset: 0, filesz: PH_END });
  });

  it('a last PT_LOAD that ends exactly at the end of the file is whole', () => {
    const out = relayoutForEmbedding(ldso({}, 0x1334).bytes, 0x1000, 'x');
    expect(out.length).toBe(0x3000);
  });

  it.each([
    [
      'program headers one byte past the first PT_LOAD',
      ldso({ load0: { filesz: PH_END - 1 } }),
      'x: its program headers are not in a loaded segment',
    ],
    [
      'program headers before the first PT_LOAD',
      ldso({ load0: { offset: 0x100 } }),
      'x: its program headers are not in a loaded segment',
    ],
    [
      'a PT_LOAD one byte past the end of the file',
      ldso({}, 0x1333),
      'x: truncated (segment at offset 4660 ends past the file)',
    ],
    [
      'a first PT_LOAD whose offset is not congruent to its address',
      ldso({ load0: { vaddr: 0x10 } }),
      'x: its program headers would move (first segment not at offset 0)',
    ],
    ['an ELF32 file', new ElfImage({ class: 32, size: 0x100, segments: [] }), 'x: not a 64-bit little-endian ELF file'],
    [
      'a big-endian file',
      new ElfImage({ little: false, size: 0x100, segments: [] }),
      'x: not a 64-bit little-endian ELF file',
    ],
  ])('refuses %s', (_n, img, message) => {
    expect(thrown(() => relayoutForEmbedding(img.bytes, 0x1000, 'x'))).toMatchObject({
      code: 'ENOEXEC',
      field: 'x',
      message,
    });
  });
});

describe('ELF64 writers', () => {
  it('writePhdr writes every field of header i, p_paddr as p_vaddr, and nothing else', () => {
    const img = ldso();
    const before = Uint8Array.from(img.bytes);
    const p = { type: 7, flags: 1, offset: 0x1111, vaddr: 0x22222, filesz: 0x333, memsz: 0x4444, align: 0x55 };
    writePhdr(img.bytes, { phoff: PHOFF }, 4, p);
    expect(parseElf64(img.bytes, 'x').phdrs[4]).toEqual(p);
    expect(img.view.getBigUint64(PHOFF + 4 * 56 + 24, true)).toBe(0x22222n);
    const changed = [...img.bytes.keys()].filter((i) => img.bytes[i] !== before[i]);
    expect(Math.min(...changed)).toBeGreaterThanOrEqual(PHOFF + 4 * 56);
    expect(Math.max(...changed)).toBeLessThan(PHOFF + 5 * 56);
  });

  it('clearSectionHeaders zeroes e_shoff, e_shentsize, e_shnum, e_shstrndx only', () => {
    const img = ldso();
    const before = Uint8Array.from(img.bytes);
    clearSectionHeaders(img.bytes);
    const changed = [...img.bytes.keys()].filter((i) => img.bytes[i] !== before[i]);
    expect(changed).toEqual([40, 41, 58, 60, 62]);
    expect([...img.bytes.subarray(40, 48), ...img.bytes.subarray(58, 64)].every((b) => b === 0)).toBe(true);
  });

  it('pageUp rounds up to a multiple of the page', () => {
    expect([0, 1, 4095, 4096, 4097, 8192].map((x) => pageUp(x, 4096))).toEqual([0, 4096, 4096, 4096, 8192, 8192]);
    expect(pageUp(0x1235, 0x2000)).toBe(0x2000);
  });

  it('parseElf64 reads the header and the program headers', () => {
    const { header, phdrs } = parseElf64(ldso().bytes, 'x');
    expect(header).toMatchObject({ class: 64, endian: 'little', phoff: PHOFF, phnum: 6 });
    expect(phdrs.map((p) => p.type)).toEqual([PT_LOAD, PT_LOAD, PT_DYNAMIC, PT_GNU_STACK, PT_NOTE, PT_NOTE]);
  });
});

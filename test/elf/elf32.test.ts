/**
 * The 32-bit and big-endian paths of the ELF reader, on files assembled here
 * byte by byte (this machine has no 32-bit or big-endian toolchain by
 * default): an ELF32 executable with PT_INTERP, PT_LOAD and PT_DYNAMIC
 * (DT_NEEDED, DT_RUNPATH), in both byte orders.
 */
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/elf-file.js';
import { thrown } from '../helpers/thrown.js';
import { ElfImage } from '../helpers/elf-image.js';

const EM_386 = 3;
const EM_PPC = 20;

function elf32(littleEndian: boolean, machine: number): Uint8Array {
  const INTERP = 200,
    STR = 240,
    DYN = 300,
    BASE = 0x08048000;
  const interp = '/lib/ld-linux.so.2';
  const img = new ElfImage({
    class: 32,
    little: littleEndian,
    type: 2, // ET_EXEC
    machine,
    size: 512,
    segments: [
      { type: 3, offset: INTERP, vaddr: BASE + INTERP, filesz: interp.length + 1 }, // PT_INTERP
      { type: 1, offset: 0, vaddr: BASE, filesz: 512 }, // PT_LOAD: the whole file
      { type: 2, offset: DYN, vaddr: BASE + DYN, filesz: 5 * 8 }, // PT_DYNAMIC
    ],
  });
  img.u32(24, BASE + 0x100); // e_entry
  img.strings(INTERP, [interp]);
  const [, libc, libm, origin] = img.strings(STR, ['', 'libc.so.6', 'libm.so.6', '$ORIGIN/lib']);
  img.dynamic(DYN, [
    [1, libc!], // DT_NEEDED
    [1, libm!],
    [29, origin!], // DT_RUNPATH
    [5, BASE + STR], // DT_STRTAB
    [10, 33], // DT_STRSZ
  ]);
  return img.bytes;
}

describe('ELF32 and big-endian files', () => {
  it('reads an i386 executable', () => {
    expect(readElf(elf32(true, EM_386))).toMatchObject({
      class: 32,
      endian: 'little',
      machineName: 'i386',
      type: 'exec',
      interp: '/lib/ld-linux.so.2',
      needed: ['libc.so.6', 'libm.so.6'],
      runpath: '$ORIGIN/lib',
      marker: null,
    });
  });
  it('reads a big-endian ppc executable', () => {
    expect(readElf(elf32(false, EM_PPC))).toMatchObject({
      class: 32,
      endian: 'big',
      machineName: 'ppc',
      needed: ['libc.so.6', 'libm.so.6'],
    });
  });
  it('names the dynamic field whose address no PT_LOAD maps', () => {
    const b = elf32(true, EM_386);
    new DataView(b.buffer).setUint32(300 + 3 * 8 + 4, 0x10, true); // DT_STRTAB outside the segment
    const e = thrown(() => readElf(b));
    expect(e.field).toBe('DT_STRTAB');
    expect(e.message).toMatch(/address 0x10 is not in any PT_LOAD/);
  });
});

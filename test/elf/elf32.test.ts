/**
 * The 32-bit and big-endian paths of the ELF reader, on files assembled here
 * byte by byte (this machine has no 32-bit or big-endian toolchain by
 * default): an ELF32 executable with PT_INTERP, PT_LOAD and PT_DYNAMIC
 * (DT_NEEDED, DT_RUNPATH), in both byte orders.
 */
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/elf-file.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';

const EM_386 = 3;
const EM_PPC = 20;

function elf32(littleEndian: boolean, machine: number): Uint8Array {
  const b = new Uint8Array(512);
  const v = new DataView(b.buffer);
  const u16 = (o: number, x: number) => v.setUint16(o, x, littleEndian);
  const u32 = (o: number, x: number) => v.setUint32(o, x, littleEndian);
  const interp = '/lib/ld-linux.so.2\0';
  const strtab = '\0libc.so.6\0libm.so.6\0$ORIGIN/lib\0';
  const PH = 52,
    INTERP = 200,
    STR = 240,
    DYN = 300;
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, littleEndian ? 1 : 2, 1], 0);
  u16(16, 2); // ET_EXEC
  u16(18, machine);
  u32(20, 1);
  u32(24, 0x08048000 + 0x100); // e_entry
  u32(28, PH); // e_phoff
  u16(40, 52); // e_ehsize
  u16(42, 32); // e_phentsize
  u16(44, 3); // e_phnum
  const phdr = (i: number, type: number, off: number, size: number) => {
    const o = PH + i * 32;
    u32(o, type);
    u32(o + 4, off);
    u32(o + 8, 0x08048000 + off); // p_vaddr
    u32(o + 16, size);
    u32(o + 20, size);
    u32(o + 24, 4); // PF_R
  };
  phdr(0, 3, INTERP, interp.length); // PT_INTERP
  phdr(1, 1, 0, 512); // PT_LOAD: the whole file
  phdr(2, 2, DYN, 5 * 8); // PT_DYNAMIC
  b.set(new TextEncoder().encode(interp), INTERP);
  b.set(new TextEncoder().encode(strtab), STR);
  const dyn: Array<[number, number]> = [
    [1, 1],
    [1, 11],
    [29, 21],
    [5, 0x08048000 + STR],
    [10, strtab.length],
  ];
  dyn.forEach(([t, val], i) => {
    u32(DYN + i * 8, t);
    u32(DYN + i * 8 + 4, val);
  });
  return b;
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
    try {
      readElf(b);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(BinfmtError);
      expect((e as BinfmtError).field).toBe('DT_STRTAB');
      expect((e as BinfmtError).message).toMatch(/address 0x10 is not in any PT_LOAD/);
    }
  });
});

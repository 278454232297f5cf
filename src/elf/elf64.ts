/**
 * ELF64 little-endian program headers as the loader tools edit them: with
 * p_align, and writable in place (re-layout, stamping). Reading any ELF for
 * inspection is header.ts/program-headers.ts; this module is the narrow
 * x86_64 view that also writes. Pure: bytes in, values out.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { EHDR_SIZE_64 } from './header.js';
import { PHDR_SIZE_64, PT_INTERP, PT_LOAD, type ProgramHeader } from './program-headers.js';

export { PT_INTERP, PT_LOAD };
export const PT_NOTE = 4;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_X86_64 = 62;
export const EHDR_SIZE = EHDR_SIZE_64;
export const PHDR_SIZE = PHDR_SIZE_64;

export interface Elf64Header {
  type: number;
  machine: number;
  entry: bigint;
  phoff: number;
  shoff: number;
  phnum: number;
}

/** A program header with its p_align (program-headers.ts leaves that out). */
export interface Phdr extends ProgramHeader {
  align: number;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** The header of a 64-bit little-endian ELF file; `what` names it in errors. */
export function readElf64Header(b: Uint8Array, what: string): Elf64Header {
  if (b.length < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
    throw new BinfmtError('ENOEXEC', `${what}: not an ELF file`, what);
  }
  if (b.length < EHDR_SIZE) throw new BinfmtError('ENOEXEC', `${what}: truncated ELF header`, what);
  if (b[4] !== 2 || b[5] !== 1) throw new BinfmtError('ENOEXEC', `${what}: not a 64-bit little-endian ELF file`, what);
  const v = view(b);
  const h: Elf64Header = {
    type: v.getUint16(16, true),
    machine: v.getUint16(18, true),
    entry: v.getBigUint64(24, true),
    phoff: Number(v.getBigUint64(32, true)),
    shoff: Number(v.getBigUint64(40, true)),
    phnum: v.getUint16(56, true),
  };
  if (v.getUint16(54, true) !== PHDR_SIZE) throw new BinfmtError('ENOEXEC', `${what}: bad program header size`, what);
  if (h.phoff + h.phnum * PHDR_SIZE > b.length) throw new BinfmtError('ENOEXEC', `${what}: program headers beyond the end of the file`, what);
  return h;
}

export function readPhdrs(b: Uint8Array, h: Elf64Header): Phdr[] {
  const v = view(b);
  const out: Phdr[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * PHDR_SIZE;
    out.push({
      type: v.getUint32(o, true),
      flags: v.getUint32(o + 4, true),
      offset: Number(v.getBigUint64(o + 8, true)),
      vaddr: Number(v.getBigUint64(o + 16, true)),
      filesz: Number(v.getBigUint64(o + 32, true)),
      memsz: Number(v.getBigUint64(o + 40, true)),
      align: Number(v.getBigUint64(o + 48, true)),
    });
  }
  return out;
}

/** Writes program header `i` (p_paddr is set to p_vaddr). */
export function writePhdr(b: Uint8Array, h: Elf64Header, i: number, p: Phdr): void {
  const v = view(b);
  const o = h.phoff + i * PHDR_SIZE;
  v.setUint32(o, p.type, true);
  v.setUint32(o + 4, p.flags, true);
  v.setBigUint64(o + 8, BigInt(p.offset), true);
  v.setBigUint64(o + 16, BigInt(p.vaddr), true);
  v.setBigUint64(o + 24, BigInt(p.vaddr), true);
  v.setBigUint64(o + 32, BigInt(p.filesz), true);
  v.setBigUint64(o + 40, BigInt(p.memsz), true);
  v.setBigUint64(o + 48, BigInt(p.align), true);
}

/** Drops the section header table (its offsets no longer hold after a re-layout). */
export function clearSectionHeaders(b: Uint8Array): void {
  const v = view(b);
  v.setBigUint64(40, 0n, true);
  v.setUint16(58, 0, true);
  v.setUint16(60, 0, true);
  v.setUint16(62, 0, true);
}

export function pageUp(x: number, page: number): number {
  return Math.ceil(x / page) * page;
}

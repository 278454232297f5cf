/**
 * The write side of ELF: edits a 64-bit little-endian (x86_64) file's program
 * headers in place for re-layout and stamping. Reading is header.ts and
 * program-headers.ts; parseElf64() reads through them and checks that the
 * file has the layout these writers write. Pure: bytes in, values out.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { parseElfHeader, type ElfHeader } from './header.js';
import { PHDR_SIZE_64, parseProgramHeaders, type ProgramHeader } from './program-headers.js';
import { inFile } from './reader.js';

/** p_type and p_flags values (<elf.h>) beyond those program-headers.ts reads. */
export const PT_NOTE = 4;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
/** Offsets in Elf64_Ehdr of e_shoff, e_shentsize, e_shnum and e_shstrndx. */
const E_SHOFF_64 = 40;
const E_SHENTSIZE_64 = 58;
const E_SHNUM_64 = 60;
const E_SHSTRNDX_64 = 62;

export interface Elf64 {
  header: ElfHeader;
  phdrs: ProgramHeader[];
}

/** Header and program headers of a file these writers can edit; `what` names it in errors. */
export function parseElf64(b: Uint8Array, what: string): Elf64 {
  return inFile(what, () => {
    const { header, reader } = parseElfHeader(b);
    if (header.class !== 64 || header.endian !== 'little') {
      throw new BinfmtError('ENOEXEC', `not a 64-bit little-endian ELF file`, 'e_ident');
    }
    return { header, phdrs: parseProgramHeaders(reader, header) };
  });
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Writes program header `i` (p_paddr is set to p_vaddr). */
export function writePhdr(b: Uint8Array, h: Pick<ElfHeader, 'phoff'>, i: number, p: ProgramHeader): void {
  const v = view(b);
  const o = h.phoff + i * PHDR_SIZE_64;
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
  v.setBigUint64(E_SHOFF_64, 0n, true);
  v.setUint16(E_SHENTSIZE_64, 0, true);
  v.setUint16(E_SHNUM_64, 0, true);
  v.setUint16(E_SHSTRNDX_64, 0, true);
}

export function pageUp(x: number, page: number): number {
  return Math.ceil(x / page) * page;
}

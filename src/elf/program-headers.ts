/**
 * Program headers (gABI "Program Header"; <elf.h> Elf32_Phdr/Elf64_Phdr) and
 * the two things read straight from them: PT_INTERP and the vaddr → file
 * offset mapping through PT_LOAD that the dynamic section needs.
 */
import { parseElfHeader, type ElfHeader } from './header.js';
import { ElfReader, malformed } from './reader.js';

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
/** sizeof(Elf32_Phdr), sizeof(Elf64_Phdr). */
export const PHDR_SIZE_32 = 32;
export const PHDR_SIZE_64 = 56;
/** The kernel refuses more than 64 KiB of program headers (fs/binfmt_elf.c, load_elf_phdrs). */
export const MAX_PHDR_BYTES = 65536;

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export function parseProgramHeaders(r: ElfReader, h: ElfHeader): ProgramHeader[] {
  if (h.phnum === 0) return [];
  const size = h.class === 64 ? PHDR_SIZE_64 : PHDR_SIZE_32;
  if (h.phentsize !== size) throw malformed('e_phentsize', h.flagsOffset + 6, `is ${h.phentsize}, expected ${size}`);
  if (h.phnum * size > MAX_PHDR_BYTES)
    throw malformed('e_phnum', h.flagsOffset + 8, `${h.phnum} program headers exceed ${MAX_PHDR_BYTES} bytes`);
  r.need('program header table', h.phoff, h.phnum * size);
  const out: ProgramHeader[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * size;
    const f = `phdr[${i}]`;
    if (h.class === 64) {
      out.push({
        type: r.u32(`${f}.p_type`, o),
        flags: r.u32(`${f}.p_flags`, o + 4),
        offset: r.u64(`${f}.p_offset`, o + 8),
        vaddr: r.u64(`${f}.p_vaddr`, o + 16),
        filesz: r.u64(`${f}.p_filesz`, o + 32),
        memsz: r.u64(`${f}.p_memsz`, o + 40),
        align: r.u64(`${f}.p_align`, o + 48),
      });
    } else {
      out.push({
        type: r.u32(`${f}.p_type`, o),
        offset: r.u32(`${f}.p_offset`, o + 4),
        vaddr: r.u32(`${f}.p_vaddr`, o + 8),
        filesz: r.u32(`${f}.p_filesz`, o + 16),
        memsz: r.u32(`${f}.p_memsz`, o + 20),
        flags: r.u32(`${f}.p_flags`, o + 24),
        align: r.u32(`${f}.p_align`, o + 28),
      });
    }
  }
  return out;
}

/** The PT_INTERP path, or null when there is none (static or --no-dynamic-linker). */
export function readInterp(r: ElfReader, phdrs: ProgramHeader[]): string | null {
  const i = phdrs.findIndex((p) => p.type === PT_INTERP);
  if (i < 0) return null;
  const p = phdrs[i]!;
  r.need(`phdr[${i}] PT_INTERP`, p.offset, p.filesz);
  if (p.filesz === 0) throw malformed(`phdr[${i}] PT_INTERP`, p.offset, 'is empty');
  return r.cstring(`phdr[${i}] PT_INTERP`, p.offset, p.offset + p.filesz);
}

/** Where PT_INTERP's string lies in a file. */
export interface Range {
  offset: number;
  size: number;
}

/**
 * Where PT_INTERP's string lies, read from a prefix of the file (its first
 * page holds the headers of any ordinary program), so that a caller need not
 * read the whole file. null: not ELF, malformed, no PT_INTERP, or the program
 * headers lie past the prefix.
 */
export function interpRange(prefix: Uint8Array): Range | null {
  try {
    const { header, reader } = parseElfHeader(prefix);
    const p = parseProgramHeaders(reader, header).find((q) => q.type === PT_INTERP);
    return p ? { offset: p.offset, size: p.filesz } : null;
  } catch {
    return null;
  }
}

/** File offset of a virtual address, through the PT_LOAD that maps it; null if none does. */
export function vaddrToOffset(phdrs: ProgramHeader[], vaddr: number, size = 1): number | null {
  for (const p of phdrs) {
    if (p.type === PT_LOAD && vaddr >= p.vaddr && vaddr + size <= p.vaddr + p.filesz)
      return p.offset + (vaddr - p.vaddr);
  }
  return null;
}

/**
 * The ELF file header (System V gABI, "ELF Header"; <elf.h> Elf32_Ehdr/Elf64_Ehdr).
 */
import { bytesSource, isByteSource, type ByteSource } from '../core/byte-source.js';
import { ElfReader, malformed } from './reader.js';
import { machineName } from './machine.js';

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
/** e_ident indices and values (<elf.h>). */
export const EI_NIDENT = 16;
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_OSABI = 7;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
/** Header sizes: sizeof(Elf32_Ehdr) and sizeof(Elf64_Ehdr). */
export const EHDR_SIZE_32 = 52;
export const EHDR_SIZE_64 = 64;
/** Offset of e_flags: 36 in Elf32_Ehdr, 48 in Elf64_Ehdr. */
export const E_FLAGS_OFFSET_32 = 36;
export const E_FLAGS_OFFSET_64 = 48;

export type ElfType = 'none' | 'rel' | 'exec' | 'dyn' | 'core' | 'other';
const TYPES: Record<number, ElfType> = { 0: 'none', 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' };

export interface ElfHeader {
  class: 32 | 64;
  endian: 'little' | 'big';
  osabi: number;
  type: ElfType;
  machine: number;
  machineName: string;
  entry: number;
  phoff: number;
  shoff: number;
  flags: number;
  /** Where e_flags lives in the file. */
  flagsOffset: number;
  phentsize: number;
  phnum: number;
}

/** Parses the header (reading only its bytes from a ByteSource); throws ENOEXEC naming the field for anything malformed. */
export function parseElfHeader(file: Uint8Array | ByteSource): { header: ElfHeader; reader: ElfReader } {
  const src = isByteSource(file) ? file : bytesSource(file);
  const bytes = src.read(0, Math.min(src.size, EI_NIDENT));
  if (bytes.length < EI_NIDENT || ELF_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw malformed('e_ident[EI_MAG]', 0, 'not an ELF file (no \\x7fELF magic)');
  }
  const cls = bytes[EI_CLASS];
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) throw malformed('e_ident[EI_CLASS]', EI_CLASS, `unknown class ${cls}`);
  const data = bytes[EI_DATA];
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB)
    throw malformed('e_ident[EI_DATA]', EI_DATA, `unknown data encoding ${data}`);
  const is64 = cls === ELFCLASS64;
  const r = new ElfReader(src, data === ELFDATA2LSB, is64);
  r.need('ELF header', 0, is64 ? EHDR_SIZE_64 : EHDR_SIZE_32);
  const w = is64 ? 8 : 4;
  const typeNum = r.u16('e_type', 16);
  const machine = r.u16('e_machine', 18);
  const entry = r.word('e_entry', 24);
  const phoff = r.word('e_phoff', 24 + w);
  const shoff = r.word('e_shoff', 24 + 2 * w);
  const flagsOffset = is64 ? E_FLAGS_OFFSET_64 : E_FLAGS_OFFSET_32;
  const flags = r.u32('e_flags', flagsOffset);
  const phentsize = r.u16('e_phentsize', flagsOffset + 6);
  const phnum = r.u16('e_phnum', flagsOffset + 8);
  const header: ElfHeader = {
    class: is64 ? 64 : 32,
    endian: data === ELFDATA2LSB ? 'little' : 'big',
    osabi: bytes[EI_OSABI]!,
    type: TYPES[typeNum] ?? 'other',
    machine,
    machineName: machineName(machine),
    entry,
    phoff,
    shoff,
    flags,
    flagsOffset,
    phentsize,
    phnum,
  };
  return { header, reader: r };
}

/**
 * The dynamic section, read as ld.so reads it: through PT_DYNAMIC, with
 * addresses mapped to file offsets through PT_LOAD (so stripped files work).
 * gABI "Dynamic Section"; <elf.h> DT_*.
 */
import { ElfReader, malformed } from './reader.js';
import { PT_DYNAMIC, vaddrToOffset, type ProgramHeader } from './program-headers.js';

export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_STRTAB = 5;
export const DT_STRSZ = 10;
export const DT_SONAME = 14;
export const DT_RPATH = 15;
export const DT_RUNPATH = 29;
export const DT_FLAGS_1 = 0x6ffffffb;
export const DT_VERDEF = 0x6ffffffc;
export const DT_VERDEFNUM = 0x6ffffffd;
export const DT_VERNEED = 0x6ffffffe;
export const DT_VERNEEDNUM = 0x6fffffff;
/** DF_1_PIE (<elf.h>): set by ld for position-independent executables. */
export const DF_1_PIE = 0x08000000;

export interface DynamicInfo {
  needed: string[];
  soname: string | null;
  runpath: string | null;
  rpath: string | null;
  flags1: number;
  /** File offsets (not addresses) of the version tables, and their counts. */
  verneed: { offset: number; count: number } | null;
  verdef: { offset: number; count: number } | null;
  /** Resolves a string-table offset (for the version parsers). */
  str: (field: string, off: number) => string;
}

/** Reads PT_DYNAMIC; null when the file has none (static, or not linked). */
export function parseDynamic(r: ElfReader, phdrs: ProgramHeader[]): DynamicInfo | null {
  const di = phdrs.findIndex((p) => p.type === PT_DYNAMIC);
  if (di < 0) return null;
  const dyn = phdrs[di]!;
  const entSize = r.is64 ? 16 : 8;
  r.need(`phdr[${di}] PT_DYNAMIC`, dyn.offset, dyn.filesz);
  const tags: Array<[number, number]> = [];
  for (let o = dyn.offset; o + entSize <= dyn.offset + dyn.filesz; o += entSize) {
    const tag = r.sword('d_tag', o);
    if (tag === DT_NULL) break;
    tags.push([tag, r.word('d_val', o + entSize / 2)]);
  }
  const one = (t: number): number | undefined => tags.find(([k]) => k === t)?.[1];
  const map = (name: string, vaddr: number | undefined, size = 1): number | null => {
    if (vaddr === undefined) return null;
    const off = vaddrToOffset(phdrs, vaddr, size);
    if (off === null) throw malformed(name, dyn.offset, `address 0x${vaddr.toString(16)} is not in any PT_LOAD`);
    return off;
  };

  const strtab = map('DT_STRTAB', one(DT_STRTAB));
  const strsz = one(DT_STRSZ) ?? 0;
  if (strtab !== null) r.need('DT_STRTAB', strtab, strsz);
  const str = (field: string, off: number): string => {
    if (strtab === null) throw malformed(field, dyn.offset, 'has a string but there is no DT_STRTAB');
    if (off >= strsz) throw malformed(field, strtab + off, `string offset ${off} is beyond DT_STRSZ ${strsz}`);
    return r.cstring(field, strtab + off, strtab + strsz);
  };
  const strOf = (t: number, name: string): string | null => {
    const v = one(t);
    return v === undefined ? null : str(name, v);
  };
  const table = (name: string, addrTag: number, numTag: number) => {
    const addr = one(addrTag);
    if (addr === undefined) return null;
    return { offset: map(name, addr)!, count: one(numTag) ?? 0 };
  };
  return {
    needed: tags.filter(([t]) => t === DT_NEEDED).map(([, v]) => str('DT_NEEDED', v)),
    soname: strOf(DT_SONAME, 'DT_SONAME'),
    runpath: strOf(DT_RUNPATH, 'DT_RUNPATH'),
    rpath: strOf(DT_RPATH, 'DT_RPATH'),
    flags1: one(DT_FLAGS_1) ?? 0,
    verneed: table('DT_VERNEED', DT_VERNEED, DT_VERNEEDNUM),
    verdef: table('DT_VERDEF', DT_VERDEF, DT_VERDEFNUM),
    str,
  };
}

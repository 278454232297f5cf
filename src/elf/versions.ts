/**
 * GNU symbol versioning (LSB "Symbol Versioning"; <elf.h> Elf*_Verneed,
 * Elf*_Vernaux, Elf*_Verdef, Elf*_Verdaux). The structures have the same
 * layout in ELF32 and ELF64.
 */
import type { DynamicInfo } from './dynamic.js';
import { ElfReader, malformed } from './reader.js';

/** VER_FLG_BASE: the verdef that names the file itself (its soname), not a version. */
export const VER_FLG_BASE = 0x1;
/** VER_FLG_WEAK: a weak version reference; ld.so only warns when it is missing. */
export const VER_FLG_WEAK = 0x2;
/** A sanity bound on chain lengths; real files have tens (glibc's libc.so.6 defines ~45). */
export const MAX_VERSION_ENTRIES = 65536;

export interface VersionNeed {
  version: string;
  weak: boolean;
}

/** verneed: library file name → the versions this object needs from it, in file order. */
export function parseVerneed(r: ElfReader, dyn: DynamicInfo): Map<string, VersionNeed[]> {
  const out = new Map<string, VersionNeed[]>();
  if (!dyn.verneed) return out;
  let o = dyn.verneed.offset;
  for (let i = 0; i < Math.min(dyn.verneed.count || MAX_VERSION_ENTRIES, MAX_VERSION_ENTRIES); i++) {
    const f = `verneed[${i}]`;
    const version = r.u16(`${f}.vn_version`, o);
    if (version !== 1) throw malformed(`${f}.vn_version`, o, `is ${version}, expected 1`);
    const cnt = r.u16(`${f}.vn_cnt`, o + 2);
    const file = dyn.str(`${f}.vn_file`, r.u32(`${f}.vn_file`, o + 4));
    const aux = r.u32(`${f}.vn_aux`, o + 8);
    const next = r.u32(`${f}.vn_next`, o + 12);
    const list = out.get(file) ?? [];
    let a = o + aux;
    for (let j = 0; j < cnt; j++) {
      const g = `${f}.vernaux[${j}]`;
      const flags = r.u16(`${g}.vna_flags`, a + 4);
      list.push({
        version: dyn.str(`${g}.vna_name`, r.u32(`${g}.vna_name`, a + 8)),
        weak: (flags & VER_FLG_WEAK) !== 0,
      });
      const an = r.u32(`${g}.vna_next`, a + 12);
      if (an === 0) break;
      a += an;
    }
    out.set(file, list);
    if (next === 0) break;
    o += next;
  }
  return out;
}

/** verdef: the version names this object defines (the VER_FLG_BASE entry, its own name, left out). */
export function parseVerdef(r: ElfReader, dyn: DynamicInfo): string[] {
  const out: string[] = [];
  if (!dyn.verdef) return out;
  let o = dyn.verdef.offset;
  for (let i = 0; i < Math.min(dyn.verdef.count || MAX_VERSION_ENTRIES, MAX_VERSION_ENTRIES); i++) {
    const f = `verdef[${i}]`;
    const version = r.u16(`${f}.vd_version`, o);
    if (version !== 1) throw malformed(`${f}.vd_version`, o, `is ${version}, expected 1`);
    const flags = r.u16(`${f}.vd_flags`, o + 2);
    const cnt = r.u16(`${f}.vd_cnt`, o + 6);
    const aux = r.u32(`${f}.vd_aux`, o + 12);
    const next = r.u32(`${f}.vd_next`, o + 16);
    if (cnt > 0 && (flags & VER_FLG_BASE) === 0) {
      out.push(dyn.str(`${f}.verdaux[0].vda_name`, r.u32(`${f}.verdaux[0].vda_name`, o + aux)));
    }
    if (next === 0) break;
    o += next;
  }
  return out;
}

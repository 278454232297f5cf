/**
 * One ELF file summarised: what `binfmt inspect` prints and what `binfmt
 * check` resolves. Pure: bytes (or a ByteSource read where the headers
 * point) in, values out.
 */
import type { ByteSource } from '../core/byte-source.js';
import { parseDynamic, DF_1_PIE } from './dynamic.js';
import { parseElfHeader, type ElfType } from './header.js';
import { readMarker } from './marker.js';
import { parseProgramHeaders, readInterp } from './program-headers.js';
import { parseVerdef, parseVerneed, type VersionNeed } from './versions.js';

export interface ElfInfo {
  class: 32 | 64;
  endian: 'little' | 'big';
  machine: number;
  machineName: string;
  type: ElfType;
  /** A position-independent executable: ET_DYN with DF_1_PIE (ld sets it for -pie). */
  pie: boolean;
  flags: number;
  marker: string | null;
  interp: string | null;
  dynamic: boolean;
  needed: string[];
  soname: string | null;
  runpath: string | null;
  rpath: string | null;
  /** library → version names needed from it (GLIBC_2.34, ...). */
  versionsNeeded: Record<string, string[]>;
  /** library → the needed versions that are weak (a miss only warns). */
  weakVersions: Record<string, string[]>;
  /** Version names this file defines (a library's verdefs). */
  versionsDefined: string[];
}

export function readElf(file: Uint8Array | ByteSource): ElfInfo {
  const { header: h, reader: r } = parseElfHeader(file);
  const phdrs = parseProgramHeaders(r, h);
  const interp = readInterp(r, phdrs);
  const dyn = parseDynamic(r, phdrs);
  const versionsNeeded: Record<string, string[]> = {};
  const weakVersions: Record<string, string[]> = {};
  let versionsDefined: string[] = [];
  if (dyn) {
    for (const [lib, needs] of parseVerneed(r, dyn)) {
      versionsNeeded[lib] = needs.map((n: VersionNeed) => n.version);
      const weak = needs.filter((n) => n.weak).map((n) => n.version);
      if (weak.length) weakVersions[lib] = weak;
    }
    versionsDefined = parseVerdef(r, dyn);
  }
  return {
    class: h.class,
    endian: h.endian,
    machine: h.machine,
    machineName: h.machineName,
    type: h.type,
    pie: h.type === 'dyn' && ((dyn?.flags1 ?? 0) & DF_1_PIE) !== 0,
    flags: h.flags,
    marker: readMarker(h),
    interp,
    dynamic: dyn !== null,
    needed: dyn?.needed ?? [],
    soname: dyn?.soname ?? null,
    runpath: dyn?.runpath ?? null,
    rpath: dyn?.rpath ?? null,
    versionsNeeded,
    weakVersions,
    versionsDefined,
  };
}

/**
 * Where glibc's ld.so looks for a DT_NEEDED library (elf/dl-load.c,
 * _dl_map_object): the requiring object's DT_RPATH (only without DT_RUNPATH,
 * then the executable's), LD_LIBRARY_PATH (not modelled), DT_RUNPATH,
 * ld.so.cache (modelled by the ld.so.conf directories it is built from), and
 * the system directories. A name containing `/` is used as is.
 */
import { posix } from 'node:path';
import { EM_386, EM_X86_64 } from './machine.js';

/**
 * The system search path per machine. Debian builds glibc with the multiarch
 * directories first (`ld.so --help`, "system search path"); other
 * distributions use /lib64 and /usr/lib64 on 64-bit (sysdeps/.../dl-cache.h).
 */
export const SYSTEM_DIRS: Record<number, string[]> = {
  [EM_X86_64]: ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib'],
  [EM_386]: ['/lib/i386-linux-gnu', '/usr/lib/i386-linux-gnu', '/lib', '/usr/lib'],
};
const FALLBACK_DIRS = ['/lib', '/usr/lib'];

export interface Requirer {
  /** The requiring object's directory inside the root (for $ORIGIN). */
  dir: string;
  rpath: string | null;
  runpath: string | null;
}

/** Expands $ORIGIN / ${ORIGIN} (and $LIB, $PLATFORM as Debian's x86-64 values) in one path list. */
export function expandDst(list: string, origin: string, machine: number): string[] {
  const lib = machine === EM_X86_64 ? 'lib/x86_64-linux-gnu' : 'lib';
  const platform = machine === EM_X86_64 ? 'x86_64' : 'i686';
  return list
    .split(':')
    .filter((d) => d !== '')
    .map((d) =>
      d
        .replace(/\$\{?ORIGIN\}?/g, origin)
        .replace(/\$\{?LIB\}?/g, lib)
        .replace(/\$\{?PLATFORM\}?/g, platform),
    )
    .map((d) => posix.normalize(d));
}

/**
 * The directories to try, in order, for a library needed by `req` (and the
 * executable `exe`). `libraryPath` is ld.so's --library-path (or
 * LD_LIBRARY_PATH): after DT_RPATH, before DT_RUNPATH.
 */
export function searchDirs(
  req: Requirer,
  exe: Requirer,
  confDirs: string[],
  machine: number,
  libraryPath: string[] = [],
): string[] {
  const dirs: string[] = [];
  if (req.runpath === null) {
    if (req.rpath) dirs.push(...expandDst(req.rpath, req.dir, machine));
    if (exe !== req && exe.runpath === null && exe.rpath) dirs.push(...expandDst(exe.rpath, exe.dir, machine));
  }
  dirs.push(...libraryPath);
  if (req.runpath) dirs.push(...expandDst(req.runpath, req.dir, machine));
  dirs.push(...confDirs, ...(SYSTEM_DIRS[machine] ?? FALLBACK_DIRS));
  return [...new Set(dirs)];
}

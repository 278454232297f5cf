/**
 * Will a program run against the runtime inside a root directory? Resolves
 * PT_INTERP and every DT_NEEDED (transitively) inside the root as ld.so would,
 * then compares the symbol versions each object needs with the versions the
 * library found there defines, as ld.so's _dl_check_map_versions does.
 */
import { posix } from 'node:path';
import { searchDirs, type Requirer } from '../elf/library-search.js';
import { readElf, type ElfInfo } from '../elf/elf-file.js';
import { glibcMismatch } from '../elf/glibc-pair.js';
import { ldSoConfDirs } from './ld-so-conf-dirs.js';
import type { RootFs } from './root-fs.js';

export interface Missing {
  kind: 'interpreter' | 'library' | 'version' | 'pair';
  /** The library (or interpreter path) that is missing or lacks the version. */
  library: string;
  version: string | null;
  requiredBy: string;
  /** ld.so's wording of the failure. */
  message: string;
}

export interface LoadedObject {
  name: string;
  /** In-root path as ld.so names it (the path it opened). */
  path: string;
  /** In-root path after symlinks. */
  resolved: string;
  requiredBy: string;
}

export interface CheckResult {
  runs: boolean;
  interp: string | null;
  objects: LoadedObject[];
  missing: Missing[];
  /** Things ld.so only warns about (weak versions, libraries without version info). */
  warnings: string[];
}

interface Obj extends LoadedObject {
  info: ElfInfo;
  req: Requirer;
}

const compatible = (a: ElfInfo, b: ElfInfo): boolean =>
  a.class === b.class && a.endian === b.endian && a.machine === b.machine;

export interface CheckOptions {
  /** The program's directory inside the root (for $ORIGIN). */
  programDir?: string;
  /** Run with this ld.so (inside the root) instead of PT_INTERP, as a loader or `ld.so PROGRAM` would. */
  ld?: string;
  /** ld.so's --library-path: searched after DT_RPATH, before DT_RUNPATH. */
  libraryPath?: string[];
}

/** What ld.so has mapped so far: the program, the objects in load order, each by every name it answers to. */
interface LinkMap {
  exe: Obj;
  loaded: Obj[];
  byName: Map<string, Obj>;
}

/**
 * `program` is the program's ELF summary, `name` how to call it in messages.
 * The stages are ld.so's: map the interpreter, map DT_NEEDED breadth first,
 * check symbol versions, then check that ld.so and libc.so.6 are one glibc.
 */
export function checkProgram(fs: RootFs, program: ElfInfo, name: string, opts: CheckOptions = {}): CheckResult {
  const interp = opts.ld ?? program.interp;
  const exe: Obj = {
    name,
    path: name,
    resolved: name,
    requiredBy: '',
    info: program,
    req: { dir: opts.programDir ?? '/', rpath: program.rpath, runpath: program.runpath },
  };
  const map: LinkMap = { exe, loaded: [], byName: new Map() };
  const missing: Missing[] = [];
  if (interp) missing.push(...loadInterpreter(fs, map, interp));
  missing.push(...loadNeeded(fs, map, opts.libraryPath));
  const versions = checkVersions(map);
  missing.push(...versions.missing);
  if (missing.length === 0 && interp) missing.push(...checkGlibcPair(fs, map, interp));
  return {
    runs: missing.length === 0,
    interp,
    objects: map.loaded.map(({ name: n, path, resolved, requiredBy }) => ({ name: n, path, resolved, requiredBy })),
    missing,
    warnings: versions.warnings,
  };
}

function remember(map: LinkMap, o: Obj, ...names: Array<string | null>): void {
  map.loaded.push(o);
  for (const n of names) if (n) map.byName.set(n, o);
}

/** PT_INTERP (or the ld.so asked for) must be an ELF object of the program's class and machine. */
function loadInterpreter(fs: RootFs, map: LinkMap, interp: string): Missing[] {
  const { exe } = map;
  const got = fs.read(interp);
  const info = got ? tryElf(got.bytes) : null;
  if (!got || !info || !compatible(info, exe.info)) {
    const message = `${interp}: no such ELF interpreter in the root (required by ${exe.name})`;
    return [{ kind: 'interpreter', library: interp, version: null, requiredBy: exe.name, message }];
  }
  const o: Obj = {
    name: interp,
    path: interp,
    resolved: got.resolved,
    requiredBy: exe.name,
    info,
    req: { dir: posix.dirname(got.resolved), rpath: null, runpath: null },
  };
  remember(map, o, posix.basename(interp), info.soname, interp);
  return [];
}

/** DT_NEEDED, breadth first from the program, each name loaded once, searched for as ld.so does. */
function loadNeeded(fs: RootFs, map: LinkMap, libraryPath: string[] | undefined): Missing[] {
  const { exe, byName } = map;
  const program = exe.info;
  const missing: Missing[] = [];
  const confDirs = ldSoConfDirs(fs);
  const queue: Obj[] = [exe];
  for (let i = 0; i < queue.length; i++) {
    const req = queue[i]!;
    for (const lib of req.info.needed) {
      if (byName.has(lib)) continue;
      const dirs = searchDirs(req.req, exe.req, confDirs, program.machine, libraryPath);
      const found = findLibrary(fs, lib, dirs, program);
      if (!found) {
        const message = `${lib}: cannot open shared object file: No such file or directory (required by ${req.path})`;
        missing.push({ kind: 'library', library: lib, version: null, requiredBy: req.path, message });
        continue;
      }
      const o: Obj = {
        name: lib,
        path: found.path,
        resolved: found.resolved,
        requiredBy: req.path,
        info: found.info,
        req: { dir: posix.dirname(found.path), rpath: found.info.rpath, runpath: found.info.runpath },
      };
      remember(map, o, lib, found.info.soname);
      queue.push(o);
    }
  }
  return missing;
}

/** _dl_check_map_versions: every version an object needs must be defined by the library that provides it. */
function checkVersions(map: LinkMap): { missing: Missing[]; warnings: string[] } {
  const missing: Missing[] = [];
  const warnings: string[] = [];
  for (const o of [map.exe, ...map.loaded]) {
    for (const [lib, versions] of Object.entries(o.info.versionsNeeded)) {
      const provider = map.byName.get(lib);
      if (!provider) continue; // reported as a missing library, or not loaded at all
      if (provider.info.versionsDefined.length === 0) {
        warnings.push(`${provider.path}: no version information available (required by ${o.path})`);
        continue;
      }
      const weak = new Set(o.info.weakVersions[lib] ?? []);
      for (const v of versions) {
        if (provider.info.versionsDefined.includes(v)) continue;
        const message = `${provider.path}: version \`${v}' not found (required by ${o.path})`;
        if (weak.has(v)) warnings.push(message);
        else missing.push({ kind: 'version', library: lib, version: v, requiredBy: o.path, message });
      }
    }
  }
  return { missing, warnings };
}

/** Versions all found, yet a glibc ld.so and libc.so.6 of different releases still fail (GLIBC_PRIVATE). */
function checkGlibcPair(fs: RootFs, map: LinkMap, interp: string): Missing[] {
  const ld = map.byName.get(interp);
  const libc = map.byName.get('libc.so.6');
  if (!ld || !libc) return [];
  const ldFile = fs.read(ld.path);
  const libcFile = fs.read(libc.path);
  const why =
    ldFile &&
    libcFile &&
    glibcMismatch(
      { name: ld.path, realName: ld.resolved, bytes: ldFile.bytes },
      { name: libc.path, realName: libc.resolved, bytes: libcFile.bytes },
    );
  if (!why) return [];
  const message = `${why}; use the ld.so of that libc.so.6's glibc`;
  return [{ kind: 'pair', library: 'libc.so.6', version: null, requiredBy: ld.path, message }];
}

function tryElf(bytes: Uint8Array): ElfInfo | null {
  try {
    return readElf(bytes);
  } catch {
    return null;
  }
}

/** The first file along the search path that is an ELF object of the program's class and machine. */
function findLibrary(
  fs: RootFs,
  lib: string,
  dirs: string[],
  program: ElfInfo,
): { path: string; resolved: string; info: ElfInfo } | null {
  const candidates = lib.includes('/') ? [lib] : dirs.map((d) => posix.join(d, lib));
  for (const c of candidates) {
    const got = fs.read(c);
    if (!got) continue;
    const info = tryElf(got.bytes);
    // ld.so skips files of the wrong class or machine and keeps looking
    if (info && compatible(info, program)) return { path: c, resolved: got.resolved, info };
  }
  return null;
}

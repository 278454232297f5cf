/**
 * `binfmt register NAME` for a definition whose interpreter is `@loader`:
 * stamp a copy of the chainloader as the definition's directive says,
 * install it as <loader-dir>/<NAME>, and put that path into the line.
 */
import { existsSync, statSync } from 'node:fs';
import { readText } from '../sys/bounded-read.js';
import { makeDirs } from '../sys/make-dirs.js';
import { join, resolve } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import { stampLoader, type StampResult } from '../loader/stamp.js';
import { isSystemError } from '../sys/native.js';
import type { Definition } from '../config/definitions.js';
import { entryFlagsOf, loaderDirective, usesLoaderPlaceholder, withInterpreter } from '../core/loader-directive.js';

/**
 * Where loader copies go by default: root-owned, outside the package (an npm
 * install may be user-writable), in the FHS place for locally installed
 * architecture-dependent files.
 */
export const DEFAULT_LOADER_DIR = '/usr/local/lib/binfmt/loaders';

export interface InstalledLoader {
  line: string;
  loader: string | null;
  stamp: StampResult | null;
}

/** Refuses a loader directory others could write or own: they could swap the interpreter. */
function checkDirSafe(dir: string): void {
  const st = statSync(dir);
  const me = process.getuid?.() ?? 0;
  if (st.uid !== 0 && st.uid !== me) {
    throw new BinfmtError(
      'EPERM',
      [
        option('loaderDir', dir),
        ` is owned by uid ${st.uid}, neither root nor you; its owner could replace the interpreter`,
      ],
      option('loaderDir'),
    );
  }
  // The sticky bit (/tmp) is no excuse: it stops others from replacing the
  // loader, not from creating it once it is gone (a reboot or a tmp cleaner),
  // and the registered entry or the hooks.d files go on naming that path.
  if ((st.mode & 0o022) !== 0) {
    const sticky = (st.mode & 0o1000) !== 0 ? ['sticky or not: anyone can put one there once it is gone'] : undefined;
    throw new BinfmtError(
      'EPERM',
      [option('loaderDir', dir), ' is writable by group or others; anyone there could replace the interpreter'],
      option('loaderDir'),
      sticky,
    );
  }
}

export function installLoaderFor(def: Definition, opts: { loaderDir?: string; dryRun?: boolean }): InstalledLoader {
  if (!usesLoaderPlaceholder(def.text)) return { line: def.text, loader: null, stamp: null };
  const directive = loaderDirective(readText(def.file, def.file), def.file);
  if (!directive) {
    const where = `${def.file}:${def.line}`;
    throw new BinfmtError(
      'EINVAL',
      `${where}: the interpreter is @loader but the file has no '# binfmt-loader:' line saying how to stamp it`,
      where,
    );
  }
  const dir = resolve(opts.loaderDir ?? DEFAULT_LOADER_DIR);
  const { line: _line, ...stampOpts } = directive;
  const out = join(dir, def.name);
  try {
    if (!opts.dryRun) makeDirs(dir, 0o755);
    if (!opts.dryRun || existsSync(dir)) checkDirSafe(dir);
    // The copy knows its entry's flags: with P it keeps argv[0] on kernels
    // before 5.12 too, where AT_FLAGS does not say P.
    const stamp = stampLoader({ ...stampOpts, entryFlags: entryFlagsOf(def.text), out, dryRun: opts.dryRun === true });
    return { line: withInterpreter(def.text, out), loader: out, stamp };
  } catch (e) {
    if (!isSystemError(e)) throw e;
    const fix =
      e.code === 'EACCES' || e.code === 'EPERM'
        ? ['install as root, or choose a directory with ', option('loaderDir')]
        : undefined;
    throw new BinfmtError(
      e.code,
      `cannot install the loader for '${def.name}' in ${dir}: ${e.code}`,
      option('loaderDir'),
      fix,
    );
  }
}

/**
 * A directory named by an option must exist: a mistyped --config-root or
 * --config-dir would otherwise read as an empty configuration, and
 * `apply --prune` would then remove every entry binfmt owns.
 */
import { statSync } from 'node:fs';
import { BinfmtError } from '../core/binfmt-error.js';

export function existingDir(path: string, option: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    const why = code === 'ENOENT' ? 'no such directory' : (e as Error).message;
    throw new BinfmtError(code, `${option} ${path}: ${why}`, option);
  }
  if (!isDir) throw new BinfmtError('ENOTDIR', `${option} ${path}: not a directory`, option);
  return path;
}

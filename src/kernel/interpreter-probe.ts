/**
 * What open_exec() would say about an interpreter path, for F entries (the
 * kernel opens the interpreter at registration, in bm_register_write, with the
 * credentials `register` was opened with: ENOENT for a missing file, EACCES
 * for a directory, a non-executable file or a noexec mount).
 * Relative paths resolve against `cwd`, as the kernel resolves them against
 * the registering process's cwd.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';

export function openExecErrno(path: string, cwd = process.cwd()): string | null {
  const full = resolve(cwd, path);
  let st;
  try {
    st = statSync(full);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EIO';
  }
  if (!st.isFile()) return 'EACCES'; // directories, devices, fifos: may_open_exec refuses
  try {
    accessSync(full, constants.X_OK); // also EACCES on a noexec mount
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
  if ((st.mode & 0o111) === 0) return 'EACCES'; // root passes access(X_OK) only with some x bit
  return null;
}

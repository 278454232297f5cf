/**
 * What open_exec() would say about an interpreter path, for F entries (the
 * kernel opens the interpreter at registration, in bm_register_write, with the
 * credentials `register` was opened with: ENOENT for a missing file, EACCES
 * for a directory, a non-executable file or a noexec mount).
 * Relative paths resolve against `cwd`, as the kernel resolves them against
 * the registering process's cwd. The path is looked up as written, never
 * normalised: the kernel walks `/bin/sh/` and `/bin/sh/.` component by
 * component and fails with ENOTDIR at the regular file (every kernel of the
 * matrix did), where a normalised `/bin/sh` would open. `root` prefixes the
 * lookup, for a tree that stands for another system (a VM's initramfs).
 */
import { accessSync, constants, statSync } from 'node:fs';

export function openExecErrno(path: string, cwd = process.cwd(), root = ''): string | null {
  const full = root + (path.startsWith('/') ? path : `${cwd.replace(/\/$/, '')}/${path}`);
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

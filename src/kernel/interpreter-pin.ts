/**
 * Whether an F entry's pinned interpreter is still the file at its path.
 * The kernel does not say which inode it pinned, but while an F entry holds
 * a file, opening that file for writing fails with ETXTBSY (the
 * kernel's write-deny on the pinned file; it clears when the entry is removed). So: ETXTBSY → the file at the path is pinned (or running);
 * the open succeeding → it is a different file than the pinned one. Nothing
 * is written: the descriptor is closed at once, and O_TRUNC is not used.
 */
import { closeSync, openSync, constants } from 'node:fs';

export type PinState = 'pinned' | 'replaced' | 'missing' | 'unknown';

export function pinState(interpreter: string): PinState {
  let fd: number;
  try {
    fd = openSync(interpreter, constants.O_WRONLY | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ETXTBSY') return 'pinned';
    if (code === 'ENOENT') return 'missing';
    return 'unknown'; // EACCES (not root), EROFS, EISDIR, …
  }
  closeSync(fd);
  return 'replaced';
}

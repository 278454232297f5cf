/**
 * The one line for an error no command turned into a BinfmtError: a failed
 * system call names its path and cause (`mkdir '/run/binfmt': permission
 * denied (EACCES)`), anything else says it is binfmt's own fault. Never a
 * JavaScript stack trace, which tells a user nothing; BINFMT_DEBUG=1 adds it.
 */
import { isSystemError } from '../sys/native.js';

/** strerror(3) wording for the errors a file system hands a user. */
const CAUSE: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'text file busy',
  EINVAL: 'invalid argument',
};

export interface ErrorText {
  code: string;
  message: string;
}

export function errorText(e: unknown): ErrorText {
  if (isSystemError(e)) {
    const path = e.path ? ` '${e.path}'` : '';
    const cause = CAUSE[e.code] ?? e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ .*$/, '');
    const denied = (e.code === 'EACCES' || e.code === 'EPERM') && process.getuid?.() !== 0;
    const hint = denied ? ' (as root, or choose another path)' : '';
    return { code: e.code, message: `${e.syscall}${path}: ${cause} (${e.code})${hint}` };
  }
  const message = e instanceof Error ? e.message : String(e);
  const first = message.split('\n')[0];
  return { code: 'EINTERNAL', message: `internal error: ${first} (a bug in binfmt; BINFMT_DEBUG=1 shows where)` };
}

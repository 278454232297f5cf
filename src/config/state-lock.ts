/**
 * One binfmt at a time per binfmt_misc mount: two applies planning from the
 * same kernel state would race (both register the same temporary name, both
 * rewrite the ownership record).
 *
 * The lock is flock(2) on a file next to the state file. The kernel grants
 * it to one open file at a time, atomically, and drops it when its holder's
 * last fd closes, a crash included: there is no stale lock to take over, so
 * no window in which two takers both remove a dead holder's lock and both
 * go on (what a pid file with O_EXCL and takeover allowed). The file stays;
 * its content is only the holder's pid, to name it in the error.
 */
import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { makeDirs } from '../sys/make-dirs.js';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import { isSystemError, native } from '../sys/native.js';
import { stateFileName } from './ownership-state.js';

/** "(pid N) " when the holder wrote its pid, else "". */
function holder(path: string): string {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}

export function lockPath(stateDir: string, mount: string): string {
  return join(stateDir, `${stateFileName(mount)}.lock`);
}

export function withStateLock<T>(stateDir: string, mount: string, work: () => T): T {
  try {
    makeDirs(stateDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    const fix =
      code === 'EACCES' || code === 'EPERM'
        ? ['changing binfmt_misc needs root; or choose ', option('stateDir')]
        : undefined;
    const why = (e as Error).message;
    throw new BinfmtError(code, `cannot create the state directory ${stateDir}: ${why}`, option('stateDir'), fix);
  }
  const path = lockPath(stateDir, mount);
  let fd: number;
  try {
    // No O_TRUNC: the holder's pid must survive a taker that will be refused.
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  } catch (e) {
    throw new BinfmtError(
      (e as NodeJS.ErrnoException).code ?? 'EIO',
      `${path}: cannot open the lock: ${(e as Error).message}`,
      path,
    );
  }
  try {
    const sys = native();
    try {
      sys.flock(fd, sys.constants.LOCK_EX | sys.constants.LOCK_NB);
    } catch (e) {
      if (isSystemError(e) && (e.code === 'EAGAIN' || e.code === 'EWOULDBLOCK')) {
        throw new BinfmtError(
          'EBUSY',
          `another binfmt${holder(path)} is changing ${mount}; try again when it is done (lock: ${path})`,
          path,
        );
      }
      throw e;
    }
    ftruncateSync(fd, 0);
    writeSync(fd, `${process.pid}\n`, 0);
    try {
      return work();
    } finally {
      ftruncateSync(fd, 0); // while still held: a refused taker never reads a pid that is gone
    }
  } finally {
    closeSync(fd); // releases the lock
  }
}

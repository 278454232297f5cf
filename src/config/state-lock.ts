/**
 * One binfmt at a time per binfmt_misc mount: two applies planning from the
 * same kernel state would race (both register the same temporary name, both
 * rewrite the ownership record). The lock is a file created with O_EXCL next
 * to the state file, holding the owner's pid; a lock whose process is gone
 * (a crash) is taken over.
 */
import { makeDirs } from '../sys/make-dirs.js';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { stateFileName } from './ownership-state.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new BinfmtError((e as NodeJS.ErrnoException).code ?? 'EIO', `${path}: cannot create the lock: ${(e as Error).message}`, path);
  }
  writeSync(fd, `${process.pid}\n`);
  closeSync(fd);
  return true;
}

export function withStateLock<T>(stateDir: string, mount: string, work: () => T): T {
  try {
    makeDirs(stateDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    const hint = code === 'EACCES' || code === 'EPERM' ? ' (changing binfmt_misc needs root; or choose --state-dir)' : '';
    const why = (e as Error).message;
    throw new BinfmtError(code, `cannot create the state directory ${stateDir}: ${why}${hint}`, '--state-dir');
  }
  const path = join(stateDir, `${stateFileName(mount)}.lock`);
  if (!tryCreate(path)) {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new BinfmtError('EBUSY', `another binfmt (pid ${pid}) is changing ${mount}; try again when it is done (lock: ${path})`, path);
    }
    unlinkSync(path); // left by a process that is gone
    if (!tryCreate(path)) throw new BinfmtError('EBUSY', `another binfmt took the lock ${path} just now; try again`, path);
  }
  try {
    return work();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Replace a file so that a crash at any point leaves either the old file or
 * the new one, never a torn mix: write a temporary file in the same
 * directory, fsync it, rename it over the target (atomic within one
 * filesystem), then fsync the directory so the rename itself is durable.
 */
import { makeDirs } from './make-dirs.js';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeSync, constants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';

function fsyncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function explain(e: unknown, path: string, what: string): BinfmtError {
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  return new BinfmtError(code, `${path}: cannot ${what}: ${(e as Error).message}`, path);
}

export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  const dir = dirname(path);
  try {
    makeDirs(dir);
  } catch (e) {
    throw explain(e, dir, 'create the directory');
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, mode);
  } catch (e) {
    throw explain(e, tmp, 'create');
  }
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw explain(e, tmp, 'write');
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw explain(e, path, 'replace');
  }
  fsyncDir(dir);
}

/** Removes a file durably; false if it was not there. */
export function removeFileDurably(path: string): boolean {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw explain(e, path, 'remove');
  }
  fsyncDir(dirname(path));
  return true;
}

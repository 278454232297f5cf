/**
 * Reading a file a user named without trusting what it is. A path may be a
 * FIFO with no writer (a plain open(2) waits for one forever), /dev/zero (a
 * read to EOF never ends) or a sparse file of gigabytes (a read to EOF fills
 * memory). So: open with O_NONBLOCK (a FIFO opens at once) and O_NOCTTY (a
 * terminal does not become ours), fstat, refuse anything but a regular file
 * naming what it is, then read only a bounded range: the first bytes, the
 * headers where they lie, or a whole file under a named limit.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { BinfmtError, type ErrorField } from '../core/binfmt-error.js';
import type { Fix } from '../core/fix.js';
import { isSystemError } from './native.js';

/**
 * Text read whole (binfmt.d files, --file lists, binfmt-support formats).
 * Each line holds one register string of at most 1920 bytes
 * (MAX_REGISTER_LENGTH, fs/binfmt_misc.c), so 1 MiB is over 500 full-length
 * entries: far more than any real set, small enough to hold at once.
 */
export const MAX_TEXT_BYTES = 1 << 20;

/**
 * Binaries read whole (an ld.so to check or embed, a loader copy to show or
 * stamp). glibc's ld.so is ~250 KiB, ~2 MiB with debug information, and a
 * loader copy carries at most one of them; 64 MiB leaves room for any real one.
 */
export const MAX_BINARY_BYTES = 64 << 20;

/** For the message when a text input is too large. */
export const TEXT_NOUN = 'a text input';

/** O_RDONLY | O_NONBLOCK | O_NOCTTY; Node adds O_CLOEXEC to every open. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

export interface OpenFile {
  fd: number;
  /** st_size at open: reads beyond it are not made. */
  size: number;
  path: string;
}

/** What a non-regular file is, for the message. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The errno text of a failed open/read ("no such file or directory"), without Node's code and call. */
function cause(e: NodeJS.ErrnoException): string {
  return e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

/** What goes in front of a path in a message: words, or an option as data (`[option('ld'), ' ']`). */
export type Label = string | Fix;

/** `label`, then `path` and `rest`: a message's parts. */
function about(label: Label, path: string, rest: string): Fix {
  return [...(typeof label === 'string' ? [label] : label), `${path}${rest}`];
}

/** A BinfmtError for a failed system call on `path`; `label` goes in front ("ld.so "). */
export function fileError(e: unknown, path: string, field: ErrorField, label: Label = ''): BinfmtError {
  if (e instanceof BinfmtError) return e;
  if (isSystemError(e)) return new BinfmtError(e.code, about(label, path, `: ${cause(e)} (${e.code})`), field);
  return new BinfmtError('EIO', about(label, path, `: ${String(e)}`), field);
}

/** Throws unless `st` is a regular file: EISDIR for a directory, EINVAL for the rest. */
export function requireRegular(st: Stats, path: string, field: ErrorField, label: Label = ''): void {
  if (st.isFile()) return;
  throw new BinfmtError(
    st.isDirectory() ? 'EISDIR' : 'EINVAL',
    about(label, path, `: ${st.isDirectory() ? 'is a directory' : `is ${kindOf(st)}`}, not a regular file`),
    field,
  );
}

/** Checks an fd opened without blocking and returns it with its size; closes it when refusing. */
export function regularFd(fd: number, path: string, field: ErrorField, label: Label = ''): OpenFile {
  try {
    const st = fstatSync(fd);
    requireRegular(st, path, field, label);
    return { fd, size: st.size, path };
  } catch (e) {
    closeSync(fd);
    throw fileError(e, path, field, label);
  }
}

/** Opens a regular file for reading without ever waiting; refuses anything else. */
export function openRegular(path: string, field: ErrorField, label: Label = '', flags = READ_FLAGS): OpenFile {
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (e) {
    throw fileError(e, path, field, label);
  }
  return regularFd(fd, path, field, label);
}

/** Opens, runs `fn`, closes. */
export function withRegular<T>(path: string, field: ErrorField, fn: (f: OpenFile) => T, label: Label = ''): T {
  const f = openRegular(path, field, label);
  try {
    return fn(f);
  } finally {
    closeSync(f.fd);
  }
}

/** Up to `length` bytes at `position` (fewer at end of file). */
export function readAt(f: OpenFile, position: number, length: number, field: ErrorField = f.path): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  try {
    while (got < length) {
      const n = readSync(f.fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
  } catch (e) {
    throw fileError(e, f.path, field);
  }
  return buf.subarray(0, got);
}

/**
 * Reads an open fd to its end, refusing past `limit` bytes (from position 0,
 * or from the fd's offset: stdin). `noun` names what is limited, for the message.
 */
export function readToEnd(
  fd: number,
  what: Label,
  field: ErrorField,
  limit: number,
  noun: string,
  positional = true,
): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const chunk = 64 * 1024;
  for (;;) {
    const buf = new Uint8Array(Math.min(chunk, limit + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, positional ? total : null);
    } catch (e) {
      if (isSystemError(e) && e.code === 'EAGAIN') continue; // stdin opened non-blocking by someone else
      throw fileError(e, '', field, what);
    }
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
    total += n;
    if (total > limit)
      throw new BinfmtError('EFBIG', about(what, '', `: more than ${limit} bytes, the most ${noun} may have`), field);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A whole regular file of at most `limit` bytes. Read to its end, not to
 * st_size: files under /proc say 0 and hold more.
 */
export function readWhole(path: string, field: ErrorField, limit: number, noun: string, label: Label = ''): Uint8Array {
  return withRegular(
    path,
    field,
    (f) => {
      if (f.size > limit)
        throw new BinfmtError(
          'EFBIG',
          about(label, path, `: ${f.size} bytes, more than the ${limit} ${noun} may have`),
          field,
        );
      return readToEnd(f.fd, about(label, path, ''), field, limit, noun);
    },
    label,
  );
}

/** A text file (utf8 or latin1) of at most MAX_TEXT_BYTES. */
export function readText(
  path: string,
  field: ErrorField,
  encoding: 'utf8' | 'latin1' = 'utf8',
  label: Label = '',
): string {
  const bytes = readWhole(path, field, MAX_TEXT_BYTES, TEXT_NOUN, label);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
}

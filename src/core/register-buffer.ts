/**
 * The buffer create_entry() (fs/binfmt_misc.c) parses: the bytes of one write
 * to `register`, followed by DELIMITER_PADDING copies of the delimiter, then
 * NUL. Reading past the written bytes finds those delimiters; every field
 * stage of the parser (register-parse.ts) walks this buffer.
 */
import type { Field } from './diagnostic.js';
import type { ByteAt } from './hex-escape.js';
import type { ProblemCode } from './problem-codes.js';
import { DELIMITER_PADDING } from './limits.js';

const NL = 0x0a;

export interface RegisterBuffer {
  /** The bytes written. */
  raw: Uint8Array;
  /** How many were written (the kernel's `count`). */
  count: number;
  /** The delimiter: the first byte. */
  del: number;
  /** The byte at index i of the padded buffer. */
  at: ByteAt;
}

/** Why the kernel refuses a string: its errno, and where and why, for the diagnostic. */
export interface RegisterFailure {
  errno: string;
  code: ProblemCode;
  field: Field;
  message: string;
  /** 0-based index into the written bytes, when the failure has a place. */
  index?: number;
}

/** A stage's value and the index where the next field starts, or why the parse ends. */
export type Stage<T> = { value: T; next: number } | RegisterFailure;

export function einval(code: ProblemCode, field: Field, message: string, index?: number): RegisterFailure {
  return { errno: 'EINVAL', code, field, message, index };
}

export function isFailure(x: object): x is RegisterFailure {
  return 'errno' in x;
}

export function registerBuffer(raw: Uint8Array): RegisterBuffer {
  const count = raw.length;
  const del = raw[0]!;
  const at: ByteAt = (i) => (i < count ? raw[i]! : i < count + DELIMITER_PADDING ? del : 0);
  return { raw, count, del, at };
}

/**
 * strchr(p, del): the first delimiter, or -1 if a NUL comes first (unless NUL
 * is the delimiter). A delimiter found only in the padding (index >= count)
 * also means -1 here: parsing past the end can never come back to end exactly
 * at count, so the kernel's verdict is EINVAL either way, and "too few fields"
 * says why.
 */
export function findDelimiter(b: RegisterBuffer, p: number): number {
  for (let i = p; ; i++) {
    const c = b.at(i);
    if (c === b.del) return i < b.count ? i : -1;
    if (c === 0) return -1;
  }
}

/** Bytes [a, b) of the padded buffer. */
export function bufferSlice(buf: RegisterBuffer, a: number, b: number): Uint8Array {
  const out = new Uint8Array(b - a);
  for (let i = a; i < b; i++) out[i - a] = buf.at(i);
  return out;
}

export function describeByte(c: number): string {
  if (c === 0) return 'a NUL byte';
  if (c === NL) return 'a newline';
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** The fields that end at a delimiter. */
type DelimitedField = 'name' | 'offset' | 'magic' | 'mask' | 'extension' | 'interpreter';

/** No delimiter ends the field that starts at `start`: a NUL came first, or the string ran out. */
export function missingDelimiter(b: RegisterBuffer, field: DelimitedField, start: number): RegisterFailure {
  let nul = -1;
  if (b.del !== 0) nul = b.raw.indexOf(0, start);
  if (nul >= 0) {
    const message = `${field}: a NUL byte at column ${nul + 1} ends the string before the next delimiter`;
    return einval(`${field}-nul`, field, message, nul);
  }
  const message = `${field}: no delimiter ${describeByte(b.del)} after this field (too few fields)`;
  return einval('missing-field', field, message, start);
}

/**
 * Bounds-checked little/big-endian reads over an ELF image, in memory or read
 * where the headers point (a ByteSource). Every read names
 * the field it is for, so a truncated or corrupt file fails with a typed error
 * that says which field at which offset ran past the end.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { bytesSource, isByteSource, type ByteSource } from '../core/byte-source.js';

/** A malformation in an ELF image: ENOEXEC, as the kernel answers for a bad ELF. */
export function malformed(field: string, offset: number, detail: string): BinfmtError {
  return new BinfmtError('ENOEXEC', `malformed ELF: ${field} at offset 0x${offset.toString(16)}: ${detail}`, field);
}

/**
 * The longest string read (PT_INTERP, DT_NEEDED, DT_SONAME, DT_RUNPATH,
 * version names): paths and path lists, where PATH_MAX is 4096; a longer run
 * without NUL is a corrupt file, and stopping there keeps a huge one from
 * being scanned to its end.
 */
export const MAX_ELF_STRING = 65536;
/** Bytes looked at per step while searching for a string's NUL. */
const SCAN_STEP = 4096;

export class ElfReader {
  private readonly src: ByteSource;
  constructor(
    bytes: Uint8Array | ByteSource,
    readonly littleEndian: boolean,
    readonly is64: boolean,
  ) {
    this.src = isByteSource(bytes) ? bytes : bytesSource(bytes);
  }

  get length(): number {
    return this.src.size;
  }

  /** Throws unless [offset, offset+size) lies inside the image. */
  need(field: string, offset: number, size: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || size < 0 || offset + size > this.src.size) {
      throw malformed(field, offset, `needs ${size} bytes but the file has ${this.src.size}`);
    }
  }

  private view(field: string, off: number, size: number): DataView {
    this.need(field, off, size);
    const b = this.src.read(off, size);
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  u8(field: string, off: number): number {
    return this.view(field, off, 1).getUint8(0);
  }
  u16(field: string, off: number): number {
    return this.view(field, off, 2).getUint16(0, this.littleEndian);
  }
  u32(field: string, off: number): number {
    return this.view(field, off, 4).getUint32(0, this.littleEndian);
  }
  /** A 64-bit value as a Number; values beyond 2^53 (never valid offsets here) are rejected. */
  u64(field: string, off: number): number {
    const v = this.view(field, off, 8).getBigUint64(0, this.littleEndian);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(field, off, `value 0x${v.toString(16)} is out of range`);
    return Number(v);
  }
  /** Signed 64-bit (dynamic tags are Elf64_Sxword); 32-bit files read a signed word. */
  sword(field: string, off: number): number {
    if (!this.is64) return this.view(field, off, 4).getInt32(0, this.littleEndian);
    const v = this.view(field, off, 8).getBigInt64(0, this.littleEndian);
    return v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)
      ? Number.MAX_SAFE_INTEGER
      : Number(v);
  }
  /** An address/offset/size word: 8 bytes in ELF64, 4 in ELF32. */
  word(field: string, off: number): number {
    return this.is64 ? this.u64(field, off) : this.u32(field, off);
  }
  /** A NUL-terminated string starting at `off` that must end before `end` (and within MAX_ELF_STRING). */
  cstring(field: string, off: number, end = this.src.size): string {
    this.need(field, off, 1);
    const stop = Math.min(end, this.src.size, off + MAX_ELF_STRING);
    const parts: Uint8Array[] = [];
    for (let at = off; at < stop; at += SCAN_STEP) {
      const chunk = this.src.read(at, Math.min(SCAN_STEP, stop - at));
      const nul = chunk.indexOf(0);
      parts.push(nul < 0 ? chunk : chunk.subarray(0, nul));
      if (nul >= 0) return new TextDecoder('utf-8', { fatal: false }).decode(concat(parts));
    }
    const why = stop === off + MAX_ELF_STRING ? `within ${MAX_ELF_STRING} bytes` : '';
    throw malformed(field, off, `string is not NUL-terminated${why ? ` ${why}` : ''}`);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Runs `read` over the file `what`, naming that file at the front of any error it throws. */
export function inFile<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof BinfmtError) throw new BinfmtError(e.code, `${what}: ${e.message}`, what);
    throw e;
  }
}

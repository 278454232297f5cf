/**
 * Bounds-checked little/big-endian reads over an ELF image. Every read names
 * the field it is for, so a truncated or corrupt file fails with a typed error
 * that says which field at which offset ran past the end.
 */
import { BinfmtError } from '../core/binfmt-error.js';

/** A malformation in an ELF image: ENOEXEC, as the kernel answers for a bad ELF. */
export function malformed(field: string, offset: number, detail: string): BinfmtError {
  return new BinfmtError('ENOEXEC', `malformed ELF: ${field} at offset 0x${offset.toString(16)}: ${detail}`, field);
}

export class ElfReader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly is64: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless [offset, offset+size) lies inside the image. */
  need(field: string, offset: number, size: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || size < 0 || offset + size > this.bytes.length) {
      throw malformed(field, offset, `needs ${size} bytes but the file has ${this.bytes.length}`);
    }
  }

  u8(field: string, off: number): number {
    this.need(field, off, 1);
    return this.view.getUint8(off);
  }
  u16(field: string, off: number): number {
    this.need(field, off, 2);
    return this.view.getUint16(off, this.littleEndian);
  }
  u32(field: string, off: number): number {
    this.need(field, off, 4);
    return this.view.getUint32(off, this.littleEndian);
  }
  /** A 64-bit value as a Number; values beyond 2^53 (never valid offsets here) are rejected. */
  u64(field: string, off: number): number {
    this.need(field, off, 8);
    const v = this.view.getBigUint64(off, this.littleEndian);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(field, off, `value 0x${v.toString(16)} is out of range`);
    return Number(v);
  }
  /** Signed 64-bit (dynamic tags are Elf64_Sxword); 32-bit files read a signed word. */
  sword(field: string, off: number): number {
    if (!this.is64) {
      this.need(field, off, 4);
      return this.view.getInt32(off, this.littleEndian);
    }
    this.need(field, off, 8);
    const v = this.view.getBigInt64(off, this.littleEndian);
    return v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)
      ? Number.MAX_SAFE_INTEGER
      : Number(v);
  }
  /** An address/offset/size word: 8 bytes in ELF64, 4 in ELF32. */
  word(field: string, off: number): number {
    return this.is64 ? this.u64(field, off) : this.u32(field, off);
  }
  /** A NUL-terminated string starting at `off` that must end before `end`. */
  cstring(field: string, off: number, end = this.bytes.length): string {
    this.need(field, off, 1);
    const stop = Math.min(end, this.bytes.length);
    const nul = this.bytes.indexOf(0, off);
    if (nul < 0 || nul >= stop) throw malformed(field, off, 'string is not NUL-terminated');
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes.subarray(off, nul));
  }
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

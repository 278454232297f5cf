/**
 * Bytes at positions, without holding them all: what the ELF parsers read
 * through, so that a file is read where its headers point (src/sys/file-bytes.ts
 * reads with pread) and a multi-gigabyte file never sits in memory. An array
 * in memory is one too (bytesSource).
 */
export interface ByteSource {
  /** Length in bytes. */
  readonly size: number;
  /** `length` bytes from `offset`; the caller keeps [offset, offset+length) inside [0, size). */
  read(offset: number, length: number): Uint8Array;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

export function isByteSource(x: Uint8Array | ByteSource): x is ByteSource {
  return !(x instanceof Uint8Array);
}

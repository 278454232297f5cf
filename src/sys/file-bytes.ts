/**
 * A regular file as a ByteSource (src/core/byte-source.ts): each read is a
 * pread of the block(s) it needs, and a few recent blocks are kept, so the
 * ELF parsers read a file where its headers point and never hold more than
 * CACHE_BLOCKS * BLOCK bytes of it, however large the file is.
 */
import type { ByteSource } from '../core/byte-source.js';
import { readAt, type OpenFile } from './bounded-read.js';

/** One pread: a page-aligned 64 KiB block covers the headers of an ordinary program. */
const BLOCK = 64 * 1024;
/** Blocks kept (1 MiB): the headers, the dynamic section, its string table and version tables. */
const CACHE_BLOCKS = 16;

export class FileBytes implements ByteSource {
  private readonly blocks = new Map<number, Uint8Array>();
  readonly size: number;

  constructor(private readonly file: OpenFile) {
    this.size = file.size;
  }

  private block(i: number): Uint8Array {
    let b = this.blocks.get(i);
    if (b) {
      this.blocks.delete(i); // most recently used goes last
    } else {
      b = readAt(this.file, i * BLOCK, Math.min(BLOCK, this.size - i * BLOCK));
      // A file that shrank since fstat reads short; the missing bytes read as zero.
      if (b.length < Math.min(BLOCK, this.size - i * BLOCK)) {
        const full = new Uint8Array(Math.min(BLOCK, this.size - i * BLOCK));
        full.set(b);
        b = full;
      }
      if (this.blocks.size >= CACHE_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
    }
    this.blocks.set(i, b);
    return b;
  }

  read(offset: number, length: number): Uint8Array {
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / BLOCK);
    if (first === last) {
      const at = offset - first * BLOCK;
      return this.block(first).subarray(at, at + length);
    }
    const out = new Uint8Array(length);
    for (let i = first, put = 0; i <= last; i++) {
      const b = this.block(i);
      const from = i === first ? offset - first * BLOCK : 0;
      const take = Math.min(b.length - from, length - put);
      out.set(b.subarray(from, from + take), put);
      put += take;
    }
    return out;
  }
}

/**
 * The ELF parsers read through a ByteSource where the headers point: a
 * 2 GiB file, modelled here without memory as zeros with a few written
 * ranges, is parsed by reading a few kilobytes, and a string without NUL
 * stops at MAX_ELF_STRING instead of being scanned to the end.
 */
import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/core/byte-source.js';
import { readElf } from '../../src/elf/elf-file.js';
import { planMark } from '../../src/elf/marker.js';
import { MAX_ELF_STRING } from '../../src/elf/reader.js';
import { farDynamicElf } from '../helpers/elf-image.js';
import { thrown } from '../helpers/thrown.js';

const SIZE = 2 ** 31;
const FAR = 0x6000_0000;

/** Zeros of `size` bytes with `parts` written at their offsets; counts what is read. */
class SparseSource implements ByteSource {
  bytesRead = 0;
  constructor(
    readonly size: number,
    private readonly parts: Array<[number, Uint8Array]>,
  ) {}
  read(offset: number, length: number): Uint8Array {
    expect(offset + length).toBeLessThanOrEqual(this.size);
    this.bytesRead += length;
    const out = new Uint8Array(length);
    for (const [at, b] of this.parts) {
      const from = Math.max(at, offset);
      const to = Math.min(at + b.length, offset + length);
      if (from < to) out.set(b.subarray(from - at, to - at), from - offset);
    }
    return out;
  }
}

function bigElf(soname: string): SparseSource {
  return new SparseSource(SIZE, farDynamicElf(SIZE, FAR, soname));
}

describe('ELF read through a ByteSource', () => {
  it('parses a 2 GiB file by reading only its headers, dynamic section and strings', () => {
    const src = bigElf('libfar.so.1');
    const info = readElf(src);
    expect(info.soname).toBe('libfar.so.1');
    expect(info.type).toBe('dyn');
    expect(src.bytesRead).toBeLessThan(16 * 1024);
  });

  it('gives up on a string with no NUL after MAX_ELF_STRING bytes, naming the field', () => {
    const src = bigElf('x'.repeat(MAX_ELF_STRING + 10));
    expect(thrown(() => readElf(src)).message).toMatch(/DT_SONAME .*string is not NUL-terminated within 65536 bytes/);
    expect(src.bytesRead).toBeLessThan(MAX_ELF_STRING + 16 * 1024);
  });

  it('plans a mark from the header alone', () => {
    const src = bigElf('libfar.so.1');
    expect(planMark(src, 'HRT1', 'big').offset).toBe(48);
    expect(src.bytesRead).toBeLessThanOrEqual(64 + 16);
  });
});

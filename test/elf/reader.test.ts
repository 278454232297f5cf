/**
 * The bounds-checked reads every ELF parser goes through: each value read in
 * both byte orders, each read that would run past the end (or start before
 * it) refused with ENOEXEC naming the field, its offset and the size it
 * needed, so a truncated file never yields a value.
 */
import { describe, expect, it } from 'vitest';
import { ElfReader, MAX_ELF_STRING, inFile, malformed } from '../../src/elf/reader.js';
import { thrown } from '../helpers/thrown.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
/** 8 bytes 01..08 inside a larger buffer, so that reads must honour byteOffset. */
const eight = (): Uint8Array => new Uint8Array([0xee, 0xee, 1, 2, 3, 4, 5, 6, 7, 8, 0xee]).subarray(2, 10);

describe('ElfReader: values in both byte orders', () => {
  /** 00 02 03 04 05 06 07 00 (below 2^53 read either way), inside a larger buffer. */
  const values = (): Uint8Array => new Uint8Array([0xee, 0, 2, 3, 4, 5, 6, 7, 0, 0xee]).subarray(1, 9);
  it.each([
    [true, 0x0200, 0x04030200, 0x0007060504030200, 0x00070605],
    [false, 0x0002, 0x00020304, 0x0002030405060700, 0x05060700],
  ])('little-endian %s', (little, u16, u32, u64, word32) => {
    const r = new ElfReader(values(), little, true);
    expect(r.length).toBe(8);
    expect([r.u8('f', 1), r.u16('f', 0), r.u32('f', 0), r.u64('f', 0), r.word('f', 0)]).toEqual([
      2,
      u16,
      u32,
      u64,
      u64,
    ]);
    expect(new ElfReader(values(), little, false).word('f', 4)).toBe(word32);
  });

  it('sword: a signed 32-bit word in ELF32, a signed 64-bit one in ELF64', () => {
    const r32 = new ElfReader(bytes(0xfe, 0xff, 0xff, 0xff), true, false);
    expect(r32.sword('d_tag', 0)).toBe(-2);
    const v = new DataView(new ArrayBuffer(8));
    const at = (x: bigint): number => {
      v.setBigInt64(0, x, false);
      return new ElfReader(new Uint8Array(v.buffer), false, true).sword('d_tag', 0);
    };
    expect(at(-5n)).toBe(-5);
    expect(at(0x6ffffffen)).toBe(0x6ffffffe);
    expect(at(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(at(BigInt(Number.MIN_SAFE_INTEGER))).toBe(Number.MIN_SAFE_INTEGER);
    // tags beyond 2^53 (none is defined) all read as one value no real tag has
    expect(at(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(at(BigInt(Number.MIN_SAFE_INTEGER) - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(at(-(1n << 63n))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('u64: up to 2^53-1 is a number; beyond it the field is refused', () => {
    const v = new DataView(new ArrayBuffer(8));
    v.setBigUint64(0, BigInt(Number.MAX_SAFE_INTEGER), true);
    expect(new ElfReader(new Uint8Array(v.buffer), true, true).u64('p_offset', 0)).toBe(Number.MAX_SAFE_INTEGER);
    v.setBigUint64(0, BigInt(Number.MAX_SAFE_INTEGER) + 1n, true);
    expect(thrown(() => new ElfReader(new Uint8Array(v.buffer), true, true).u64('p_offset', 0))).toMatchObject({
      code: 'ENOEXEC',
      field: 'p_offset',
      message: 'malformed ELF: p_offset at offset 0x0: value 0x20000000000000 is out of range',
    });
  });
});

describe('ElfReader: reads past either end are refused', () => {
  const r = new ElfReader(eight(), true, true);
  it.each([
    ['u8 at the end', () => r.u8('e_ident', 8), 'e_ident', 8, 1],
    ['u16 over the end', () => r.u16('e_type', 7), 'e_type', 7, 2],
    ['u32 over the end', () => r.u32('p_type', 5), 'p_type', 5, 4],
    ['u64 over the end', () => r.u64('p_vaddr', 1), 'p_vaddr', 1, 8],
    ['word (ELF64) over the end', () => r.word('e_entry', 4), 'e_entry', 4, 8],
    ['word (ELF32) over the end', () => new ElfReader(eight(), true, false).word('e_entry', 5), 'e_entry', 5, 4],
    ['sword (ELF64) over the end', () => r.sword('d_tag', 1), 'd_tag', 1, 8],
    ['sword (ELF32) over the end', () => new ElfReader(eight(), true, false).sword('d_tag', 5), 'd_tag', 5, 4],
    ['a negative offset', () => r.u8('x', -1), 'x', -1, 1],
    ['a fractional offset', () => r.u8('x', 0.5), 'x', 0.5, 1],
    ['an offset beyond 2^53', () => r.u8('x', 2 ** 53), 'x', 2 ** 53, 1],
    ['a negative size', () => r.need('x', 0, -1), 'x', 0, -1],
    ['a range one byte too long', () => r.need('table', 2, 7), 'table', 2, 7],
  ])('%s', (_n, read, field, offset, size) => {
    expect(thrown(read)).toMatchObject({
      code: 'ENOEXEC',
      field,
      message: `malformed ELF: ${field} at offset 0x${offset.toString(16)}: needs ${size} bytes but the file has 8`,
    });
  });

  it('the last byte, and a range that ends exactly at the end, are in the file', () => {
    expect(r.u8('x', 7)).toBe(8);
    expect(r.u16('x', 6)).toBe(0x0807);
    expect(() => r.need('x', 0, 8)).not.toThrow();
    expect(() => r.need('x', 8, 0)).not.toThrow();
    expect(new ElfReader(eight(), true, false).sword('x', 4)).toBe(0x08070605);
  });
});

describe('ElfReader.cstring', () => {
  const r = new ElfReader(new TextEncoder().encode('ab\0cd\0ef'), true, true);
  it('reads up to the NUL, which must come before `end`', () => {
    expect(r.cstring('s', 0)).toBe('ab');
    expect(r.cstring('s', 3, 6)).toBe('cd');
    expect(r.cstring('s', 2)).toBe('');
    expect(r.cstring('s', 3, 100)).toBe('cd');
    expect(new ElfReader(bytes(0, 0x41, 0), true, true).cstring('s', 0)).toBe('');
  });
  it.each([
    ['a NUL at `end`', () => r.cstring('DT_NEEDED', 3, 5), 'DT_NEEDED', 3, 'string is not NUL-terminated'],
    ['no NUL before the end of the file', () => r.cstring('s', 6), 's', 6, 'string is not NUL-terminated'],
    ['a start past the end', () => r.cstring('s', 8), 's', 8, 'needs 1 bytes but the file has 8'],
  ])('refuses %s', (_n, read, field, offset, detail) => {
    expect(thrown(read)).toMatchObject({
      code: 'ENOEXEC',
      field,
      message: `malformed ELF: ${field} at offset 0x${offset.toString(16)}: ${detail}`,
    });
  });
  it('reads a string longer than one scan step, a character split between steps whole', () => {
    const long = new Uint8Array(9000).fill(0x61);
    long.set([0xc3, 0xa9], 4095); // é across the first 4096-byte step
    long[8999] = 0;
    const read = new ElfReader(long, true, true).cstring('s', 0);
    expect(read.length).toBe(8998);
    expect(read.slice(4094, 4097)).toBe('aéa');
    expect(new ElfReader(long, true, true).cstring('s', 4095)).toBe(read.slice(4095));
  });
  it(`refuses a string with no NUL within ${MAX_ELF_STRING} bytes, and reads one of ${MAX_ELF_STRING - 1}`, () => {
    const big = new Uint8Array(MAX_ELF_STRING + 10).fill(0x62);
    expect(thrown(() => new ElfReader(big, true, true).cstring('DT_RPATH', 4))).toMatchObject({
      message: `malformed ELF: DT_RPATH at offset 0x4: string is not NUL-terminated within ${MAX_ELF_STRING} bytes`,
    });
    big[MAX_ELF_STRING - 1 + 4] = 0;
    expect(new ElfReader(big, true, true).cstring('DT_RPATH', 4)).toHaveLength(MAX_ELF_STRING - 1);
  });
  it('decodes UTF-8, replacing invalid bytes rather than failing', () => {
    const b = Uint8Array.from([0xc3, 0xa9, 0xff, 0]);
    expect(new ElfReader(b, true, true).cstring('s', 0)).toBe('é\ufffd');
  });
});

describe('malformed and inFile', () => {
  it('malformed: ENOEXEC, the field, its offset in hex', () => {
    expect(malformed('e_phnum', 0x38, 'too many')).toMatchObject({
      code: 'ENOEXEC',
      field: 'e_phnum',
      message: 'malformed ELF: e_phnum at offset 0x38: too many',
    });
  });
  it("inFile keeps the error's code and names the file as the field", () => {
    const e = thrown(() => inFile('/lib/x.so', () => new ElfReader(bytes(), true, true).u8('e_ident', 0)));
    expect(e).toMatchObject({
      code: 'ENOEXEC',
      field: '/lib/x.so',
      message: '/lib/x.so: malformed ELF: e_ident at offset 0x0: needs 1 bytes but the file has 0',
    });
  });
});

/**
 * Damaged ELF files get one clear ENOEXEC naming the field and its offset,
 * never a crash or a wrong answer: copies of /bin/sh with one field broken,
 * each the way a truncated download or a hostile file would break it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readElf } from '../../src/elf/elf-file.js';
import { inFile } from '../../src/elf/reader.js';
import { parseElf64 } from '../../src/elf/elf64.js';
import { PT_INTERP } from '../../src/elf/program-headers.js';
import { machineName } from '../../src/elf/machine.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { thrown } from '../helpers/thrown.js';

const sh = (): Uint8Array => Uint8Array.from(readFileSync('/bin/sh'));
const damaged = (edit: (b: Uint8Array, v: DataView) => Uint8Array | void): Uint8Array => {
  const b = sh();
  return edit(b, new DataView(b.buffer)) ?? b;
};
const refusal = (b: Uint8Array): string => {
  const e = thrown(() => readElf(b));
  expect(e.code).toBe('ENOEXEC');
  return e.message;
};
const interp = parseElf64(sh(), '/bin/sh').phdrs.findIndex((p) => p.type === PT_INTERP);
const interpAt = parseElf64(sh(), '/bin/sh').phdrs[interp]!;

describe('readElf refuses damaged files', () => {
  it.each([
    [
      'no magic',
      (b: Uint8Array) => void (b[0] = 0),
      /^malformed ELF: e_ident\[EI_MAG\] at offset 0x0: not an ELF file \(no \\x7fELF magic\)$/,
    ],
    [
      'unknown class',
      (b: Uint8Array) => void (b[4] = 3),
      /^malformed ELF: e_ident\[EI_CLASS\] at offset 0x4: unknown class 3$/,
    ],
    [
      'unknown data encoding',
      (b: Uint8Array) => void (b[5] = 7),
      /^malformed ELF: e_ident\[EI_DATA\] at offset 0x5: unknown data encoding 7$/,
    ],
    [
      'wrong e_phentsize',
      (_: Uint8Array, v: DataView) => v.setUint16(54, 55, true),
      /^malformed ELF: e_phentsize at offset 0x36: is 55, expected 56$/,
    ],
    [
      'too many program headers',
      (_: Uint8Array, v: DataView) => v.setUint16(56, 0xffff, true),
      /^malformed ELF: e_phnum at offset 0x38: 65535 program headers exceed 65536 bytes$/,
    ],
    [
      'truncated header',
      (b: Uint8Array) => b.subarray(0, 40),
      /^malformed ELF: .* needs \d+ bytes but the file has 40$/,
    ],
    [
      'empty PT_INTERP',
      (_: Uint8Array, v: DataView) => v.setBigUint64(64 + interp * 56 + 32, 0n, true),
      new RegExp(
        `^malformed ELF: phdr\\[${interp}\\] PT_INTERP at offset 0x${interpAt.offset.toString(16)}: is empty$`,
      ),
    ],
    [
      'PT_INTERP without its NUL',
      (b: Uint8Array) => b.fill(0x41, interpAt.offset, interpAt.offset + interpAt.filesz),
      /string is not NUL-terminated$/,
    ],
    [
      'a huge e_phoff',
      (_: Uint8Array, v: DataView) => v.setBigUint64(32, 1n << 60n, true),
      /^malformed ELF: e_phoff at offset 0x20: value 0x1000000000000000 is out of range$/,
    ],
  ])('%s', (_name, edit, message) => {
    expect(refusal(damaged(edit))).toMatch(message);
  });

  it("inFile names the file in front of the reader's message, and passes other errors through", () => {
    expect(() => inFile('/x/sh', () => readElf(damaged((b) => void (b[0] = 0))))).toThrow(
      /^\/x\/sh: malformed ELF: e_ident\[EI_MAG\]/,
    );
    expect(() => inFile('/x/sh', () => readElf(damaged((b) => void (b[0] = 0))))).toThrow(BinfmtError);
    const plain = new TypeError('not ours');
    expect(() =>
      inFile('/x', () => {
        throw plain;
      }),
    ).toThrow(plain);
    expect(inFile('/x', () => 7)).toBe(7);
  });

  it('machine names: known ones by name, others as EM_<n>', () => {
    expect([3, 62, 183, 243, 258, 40, 8, 2, 20, 21, 22, 43].map(machineName)).toEqual([
      'i386',
      'x86-64',
      'aarch64',
      'riscv',
      'loongarch',
      'arm',
      'mips',
      'sparc',
      'ppc',
      'ppc64',
      's390',
      'sparc64',
    ]);
    expect(machineName(9999)).toBe('EM_9999');
  });
});

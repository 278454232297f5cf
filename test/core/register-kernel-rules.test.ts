/**
 * Table tests of the kernel's register rules that only a few bytes decide,
 * each row a verdict the kernel gave in a private binfmt_misc instance
 * (Linux 6.18; test/kernel/register-differential.test.ts asks the running
 * kernel the same questions where a sandbox can be made). They run without
 * root so that a one-line slip in the parser or the formatter fails here too.
 */
import { describe, expect, it } from 'vitest';
import { parseRegister } from '../../src/core/register-parse.js';
import { DELIMITERS, formatRegister } from '../../src/core/register-format.js';
import { escapeHex } from '../../src/core/hex-escape.js';
import { toHex, type Entry, type MagicEntry } from '../../src/core/entry.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const verdict = (line: string): string => {
  const r = parseRegister(line);
  return r.ok ? `ok ${r.entry.flags || '-'}` : `${r.errno} ${r.diagnostics[0]!.field}`;
};

describe('the end of the string: flags, then at most one newline', () => {
  // create_entry() skips one '\n' after the flags and then demands the end of the write.
  it.each([
    [':x:E::z::/bin/sh:', 'ok -'],
    [':x:E::z::/bin/sh:\n', 'ok -'],
    [':x:E::z::/bin/sh:P\n', 'ok P'],
    [':x:E::z::/bin/sh:POCF\n', 'ok POCF'],
    [':x:M::AB::/bin/sh:F\n', 'ok F'],
    [':x:E::z::/bin/sh:\n\n', 'EINVAL flags'],
    [':x:E::z::/bin/sh:P\n\n', 'EINVAL flags'],
    [':x:E::z::/bin/sh:P\r\n', 'EINVAL flags'],
    [':x:E::z::/bin/sh:\r', 'EINVAL flags'],
    [':x:E::z::/bin/sh:\nP', 'EINVAL flags'],
    [':x:E::z::/bin/sh: P', 'EINVAL flags'],
    [':x:E::z::/bin/sh:P ', 'EINVAL flags'],
    [':x:E::z::/bin/sh:p', 'EINVAL flags'],
    [':x:E::z::/bin/sh:\n:', 'EINVAL flags'],
    [':x:E::z::/bin/sh\n', 'EINVAL interpreter'],
  ])('%j → %s', (line, expected) => {
    expect(verdict(line)).toBe(expected);
  });

  it('with a newline as delimiter, the final newline is the optional one and a second is needed', () => {
    // The padding after the write is delimiters (newlines): the flags step takes
    // the first newline past the interpreter as the optional final one.
    expect(verdict('\nx\nE\n\nz\n\n/bin/sh\n')).toBe('EINVAL flags');
    expect(verdict('\nx\nE\n\nz\n\n/bin/sh\n\n')).toBe('ok -');
    expect(verdict('\nx\nE\n\nz\n\n/bin/sh\nP\n')).toBe('ok P');
  });

  it('names the column of the first byte that may not follow the flags', () => {
    const r = parseRegister(':x:E::z::/bin/sh:P\r\n');
    expect(r.ok ? null : r.diagnostics[0]!.column).toBe(19);
  });
});

describe('the delimiter inside the magic and the mask', () => {
  it('a raw delimiter ends the field: the kernel refuses what follows', () => {
    expect(verdict(':x:M::A:B::/bin/sh:')).toBe('EINVAL interpreter');
    expect(verdict('|x|M||A|B||/bin/sh|')).toBe('EINVAL interpreter');
  });

  it('\\xHH of the delimiter is the byte itself', () => {
    const r = parseRegister(':x:M::A\\x3aB::/bin/sh:');
    expect(r.ok && r.entry.type === 'magic' && toHex(r.entry.magic)).toBe('413a42');
    const p = parseRegister('|x|M||A\\x7cB||/bin/sh|');
    expect(p.ok && p.entry.type === 'magic' && toHex(p.entry.magic)).toBe('417c42');
  });

  it('escapeHex escapes the delimiter, the backslash and every byte that is not printable ASCII', () => {
    expect(escapeHex(bytes('A:B'), ':')).toBe('A\\x3aB');
    expect(escapeHex(bytes('A|B:'), '|')).toBe('A\\x7cB:');
    expect(escapeHex(bytes('\\x41'), ':')).toBe('\\x5cx41');
    expect(escapeHex(Uint8Array.from([0x00, 0x20, 0x21, 0x7e, 0x7f, 0xff]), ':')).toBe('\\x00\\x20!~\\x7f\\xff');
  });

  const magicEntry = (magic: Uint8Array, mask: Uint8Array | null): MagicEntry => ({
    type: 'magic',
    name: 'x',
    offset: 0,
    magic,
    mask,
    interpreter: '/bin/sh',
    flags: '',
  });
  const roundTrip = (e: Entry, delimiter: string): Entry | string => {
    const r = parseRegister(formatRegister(e, delimiter));
    return r.ok ? r.entry : `${r.errno}: ${r.diagnostics[0]!.message}`;
  };

  it.each(DELIMITERS.map((d) => [d]))('with %j as delimiter every byte value of magic and mask comes back', (d) => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const [magic, mask] of [
      [all.subarray(0, 128), all.subarray(128, 256)],
      [all.subarray(128, 256), all.subarray(0, 128)],
    ] as const) {
      const back = roundTrip(magicEntry(magic, mask), d);
      expect(
        typeof back === 'string'
          ? back
          : [toHex(back.type === 'magic' ? back.magic : null), toHex(back.type === 'magic' ? back.mask : null)],
      ).toEqual([toHex(magic), toHex(mask)]);
    }
  });

  it('the chosen delimiter never appears raw in a magic that holds every candidate', () => {
    const magic = bytes(DELIMITERS.join(''));
    const line = formatRegister(magicEntry(magic, null));
    const back = parseRegister(line);
    expect(back.ok && back.entry.type === 'magic' && toHex(back.entry.magic)).toBe(toHex(magic));
  });
});

describe("the mask has the magic's length", () => {
  it.each([
    [':x:M::AB:\\xff::/bin/sh:', 'EINVAL mask'],
    [':x:M::AB:\\xff\\xff\\xff::/bin/sh:', 'EINVAL mask'],
    [':x:M::AB:\\xff\\x00:/bin/sh:', 'ok -'],
    [':x:M::A\\x00B:\\xff\\xff:/bin/sh:', 'EINVAL mask'],
  ])('%j → %s', (line, expected) => {
    expect(verdict(line)).toBe(expected);
  });
});

/**
 * The kernel's two-pass handling of the magic and mask fields, byte for byte:
 * scanarg() (fs/binfmt_misc.c:295-310) finds the end of the field, demanding two
 * hex digits after every `\x`; string_unescape_inplace(…, UNESCAPE_HEX)
 * (lib/string_helpers.c) then decodes, stopping at the first NUL byte.
 * There is no other escape: `\\`, `\n` and `\X41` stay literal.
 */

/** The kernel's isxdigit() for the C locale (lib/ctype.c): bytes >= 0x80 are not hex. */
function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** Reads a byte of the padded kernel buffer; bytes past its end read as NUL. */
export type ByteAt = (i: number) => number;

export type ScanResult = { end: number; next: number } | { badEscapeAt: number };

/**
 * scanarg(): from `start`, find the delimiter, skipping `\xHH` escapes.
 * Returns the field's end (the delimiter's index) and where the next field
 * starts, or the index of the bad escape.
 */
export function scanArg(at: ByteAt, start: number, del: number): ScanResult {
  let s = start;
  for (;;) {
    const c = at(s++);
    if (c === del) return { end: s - 1, next: s };
    if (c === 0x5c /* \ */ && at(s) === 0x78 /* x */) {
      const escape = s - 1;
      s++;
      if (!isHexDigit(at(s++))) return { badEscapeAt: escape };
      if (!isHexDigit(at(s++))) return { badEscapeAt: escape };
    }
  }
}

/**
 * string_unescape_inplace(field, UNESCAPE_HEX): decode `\x` plus one or two hex
 * digits; stop at the first NUL byte (a raw NUL silently truncates).
 */
export function unescapeHex(field: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < field.length && field[i] !== 0) {
    const c = field[i]!;
    const next = i + 1 < field.length ? field[i + 1]! : 0;
    if (c === 0x5c && next !== 0) {
      i++;
      if (field[i] === 0x78) {
        const d1 = hexValue(i + 1 < field.length ? field[i + 1]! : 0);
        if (d1 >= 0) {
          let num = d1;
          i += 2;
          const d2 = hexValue(i < field.length ? field[i]! : 0);
          if (d2 >= 0) {
            num = (num << 4) | d2;
            i++;
          }
          out.push(num);
          continue;
        }
      }
      out.push(0x5c);
    }
    out.push(field[i]!);
    i++;
  }
  return Uint8Array.from(out);
}

/**
 * Encode bytes for a register string so that the kernel decodes them back
 * exactly: printable ASCII stays raw (short lines: 256+256 bytes fit in 1920),
 * everything else, the backslash and the delimiter become `\xHH`.
 */
export function escapeHex(bytes: Uint8Array, delimiter: string): string {
  const del = delimiter.charCodeAt(0);
  let s = '';
  for (const b of bytes) {
    if (b > 0x20 && b < 0x7f && b !== 0x5c && b !== del) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s;
}

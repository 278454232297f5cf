/**
 * kstrtoint(s, 10, &res) (lib/kstrtox.c), which parses the offset field:
 * an optional '+' (or '-'), decimal digits, at most one trailing newline, and
 * the value must fit an int. Returns null where the kernel returns an error.
 */
const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

export function parseKernelInt(bytes: Uint8Array): number | null {
  let s = String.fromCharCode(...bytes);
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  const m = /^([0-9]+)\n?$/.exec(s);
  if (!m) return null;
  const value = BigInt(m[1]!) * (negative ? -1n : 1n);
  if (value > BigInt(INT_MAX) || value < BigInt(INT_MIN)) return null;
  return Number(value);
}

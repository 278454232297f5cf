/**
 * The entry model: what one binfmt_misc registration is.
 *
 * Names and interpreters are kept as strings (UTF-8 on the way to the kernel);
 * magic and mask are the decoded bytes. `flags` is always canonical: a subset
 * of "POCF" in that order, with C implying O, exactly as the kernel shows it.
 */

export type Flag = 'P' | 'O' | 'C' | 'F';

/** Kernel display order of flags (entry_status, :600-610). */
export const FLAG_ORDER: readonly Flag[] = ['P', 'O', 'C', 'F'];

interface EntryBase {
  name: string;
  interpreter: string;
  /** Canonical "POCF" subset. */
  flags: string;
  /** Present when the entry came from a kernel (read-back); registration always starts enabled. */
  enabled?: boolean;
}

export interface MagicEntry extends EntryBase {
  type: 'magic';
  offset: number;
  magic: Uint8Array;
  /** null: every bit of the magic is compared. */
  mask: Uint8Array | null;
}

export interface ExtensionEntry extends EntryBase {
  type: 'extension';
  /** Without the dot the kernel adds when it displays it. */
  extension: string;
}

export type Entry = MagicEntry | ExtensionEntry;

/**
 * The canonical form of a run of flag letters: each once, in POCF order, C
 * adding O (check_special_flags, :330-337). Letters outside POCF are dropped:
 * callers validate first.
 */
export function canonicalFlags(letters: string): string {
  const set = new Set(letters.split(''));
  if (set.has('C')) set.add('O');
  return FLAG_ORDER.filter((f) => set.has(f)).join('');
}

export function toHex(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null;
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new RangeError(`not an even run of hex digits: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Whether some exec could match both entries: only then does their order
 * matter (the kernel runs the newest matching entry:
 * list_add puts new entries at the head of the list it searches).
 * - two extension entries: the same extension;
 * - two magic entries: no byte both compare where their magics disagree
 *   under both masks, i.e. ((m1 ^ m2) & k1 & k2) == 0 on every shared byte;
 * - magic and extension: always (any file can be given any name).
 */
import type { Entry } from './entry.js';

export function entriesOverlap(a: Entry, b: Entry): boolean {
  if (a.type === 'extension' && b.type === 'extension') return a.extension === b.extension;
  if (a.type !== 'magic' || b.type !== 'magic') return true;
  const from = Math.max(a.offset, b.offset);
  const to = Math.min(a.offset + a.magic.length, b.offset + b.magic.length);
  for (let i = from; i < to; i++) {
    const ia = i - a.offset;
    const ib = i - b.offset;
    const ka = a.mask ? a.mask[ia]! : 0xff;
    const kb = b.mask ? b.mask[ib]! : 0xff;
    if (((a.magic[ia]! ^ b.magic[ib]!) & ka & kb) !== 0) return false;
  }
  return true;
}

/**
 * Whether `newer` matches every file `older` matches, so `older` never runs
 * while both are enabled (the kernel tries the newest first).
 * - extension entries: the same extension;
 * - magic entries: every bit `newer` compares, `older` compares too, with the
 *   same value;
 * - otherwise not (an extension entry never covers every file of a magic one).
 */
export function entryShadows(newer: Entry, older: Entry): boolean {
  if (newer.type === 'extension' || older.type === 'extension') {
    return newer.type === 'extension' && older.type === 'extension' && newer.extension === older.extension;
  }
  for (let j = 0; j < newer.magic.length; j++) {
    const pos = newer.offset + j;
    const kn = newer.mask ? newer.mask[j]! : 0xff;
    if (kn === 0) continue;
    const i = pos - older.offset;
    if (i < 0 || i >= older.magic.length) return false;
    const ko = older.mask ? older.mask[i]! : 0xff;
    if ((kn & ~ko) !== 0) return false;
    if (((newer.magic[j]! ^ older.magic[i]!) & kn) !== 0) return false;
  }
  return true;
}

/**
 * formatRegister(): the canonical register string for an entry, the one the
 * kernel parses back into exactly the same entry (tested against the kernel).
 * ':' is the delimiter unless a field contains it; no trailing newline;
 * magic and mask escape only what must be escaped (see escapeHex).
 */
import type { Entry } from './entry.js';
import { escapeHex } from './hex-escape.js';
import { BinfmtError } from './binfmt-error.js';

/** Delimiters tried in order. Never a letter or digit (flag letters and hex digits interact with parsing), never '#' or ';' (comments in binfmt.d), never white space. */
export const DELIMITERS: readonly string[] = [
  ':',
  '|',
  ',',
  '!',
  '@',
  '%',
  '^',
  '~',
  '=',
  '&',
  '*',
  '+',
  '?',
  '<',
  '>',
];

function textFields(entry: Entry): string[] {
  return entry.type === 'magic' ? [entry.name, entry.interpreter] : [entry.name, entry.interpreter, entry.extension];
}

/** The first of DELIMITERS that occurs in none of `fields`, or null. */
export function freeDelimiter(fields: readonly string[]): string | null {
  return DELIMITERS.find((c) => fields.every((f) => !f.includes(c))) ?? null;
}

function chooseDelimiter(entry: Entry): string {
  const d = freeDelimiter(textFields(entry));
  if (!d)
    throw new BinfmtError(
      'EINVAL',
      `entry '${entry.name}': its name, interpreter and extension use every usable delimiter`,
      'name',
    );
  return d;
}

export function formatRegister(entry: Entry, delimiter = chooseDelimiter(entry)): string {
  for (const f of textFields(entry)) {
    if (f.includes(delimiter))
      throw new BinfmtError('EINVAL', `entry '${entry.name}': delimiter '${delimiter}' occurs in a field`, 'delimiter');
  }
  const d = delimiter;
  if (entry.type === 'magic') {
    const offset = entry.offset === 0 ? '' : String(entry.offset);
    const mask = entry.mask ? escapeHex(entry.mask, d) : '';
    return `${d}${entry.name}${d}M${d}${offset}${d}${escapeHex(entry.magic, d)}${d}${mask}${d}${entry.interpreter}${d}${entry.flags}`;
  }
  return `${d}${entry.name}${d}E${d}${d}${entry.extension}${d}${d}${entry.interpreter}${d}${entry.flags}`;
}

/** The canonical register string: equal strings mean equal definitions (enabled aside). */
export function canonical(e: Entry): string {
  return formatRegister({ ...e, enabled: undefined });
}

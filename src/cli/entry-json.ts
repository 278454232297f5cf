/**
 * The stable JSON shape of an entry (docs/binfmt-list.1.md):
 * {name, enabled, type, offset, magic, mask, extension, interpreter, flags}
 * magic and mask lower-case hex (mask null when absent); offset, magic and
 * mask null for extension entries; extension null for magic entries.
 */
import { toHex, type Entry } from '../core/entry.js';

export interface EntryJson {
  name: string;
  enabled: boolean;
  type: 'magic' | 'extension';
  offset: number | null;
  magic: string | null;
  mask: string | null;
  extension: string | null;
  interpreter: string;
  flags: string;
}

export function entryJson(e: Entry): EntryJson {
  return {
    name: e.name,
    enabled: e.enabled !== false,
    type: e.type,
    offset: e.type === 'magic' ? e.offset : null,
    magic: e.type === 'magic' ? toHex(e.magic) : null,
    mask: e.type === 'magic' ? toHex(e.mask) : null,
    extension: e.type === 'extension' ? e.extension : null,
    interpreter: e.interpreter,
    flags: e.flags,
  };
}

/** The columns of an entry for humans: state, name, match, interpreter, flags. */
function entryCells(e: Entry): string[] {
  const match =
    e.type === 'magic'
      ? `magic ${toHex(e.magic)}${e.mask ? ` mask ${toHex(e.mask)}` : ''}${e.offset ? ` @${e.offset}` : ''}`
      : `extension .${e.extension}`;
  return [
    // As wide as 'disabled' even when every entry is enabled.
    e.enabled === false ? 'disabled' : 'enabled ',
    e.name,
    match,
    `-> ${e.interpreter}`,
    e.flags ? `[${e.flags}]` : '',
  ];
}

/** One line per entry for humans, in columns that line up. */
export function entryLines(entries: readonly Entry[]): string[] {
  const rows = entries.map(entryCells);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

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

/** One line per entry for humans: state, name, match, interpreter, flags. */
export function entryLine(e: Entry): string {
  const match =
    e.type === 'magic'
      ? `magic ${toHex(e.magic)}${e.mask ? ` mask ${toHex(e.mask)}` : ''}${e.offset ? ` @${e.offset}` : ''}`
      : `extension .${e.extension}`;
  return `${e.enabled === false ? 'disabled' : 'enabled '}  ${e.name}  ${match}  -> ${e.interpreter}${e.flags ? `  [${e.flags}]` : ''}`;
}

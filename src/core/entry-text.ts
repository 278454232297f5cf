/**
 * parseEntryText(): the text the kernel shows in binfmt_misc/NAME
 * (entry_status, fs/binfmt_misc.c:588-627):
 *
 *   enabled|disabled
 *   interpreter <as registered>
 *   flags: <POCF subset>
 *   offset <decimal>          magic entries
 *   magic <hex>
 *   [mask <hex>]
 *   extension .<ext>          extension entries
 *
 * Interpreters and extensions may themselves contain newlines: the fixed-format
 * lines anchor the match, and the free text is whatever lies between.
 */
import { BinfmtError } from './binfmt-error.js';
import { fromHex, type Entry } from './entry.js';

// Bytes are whole pairs of hex digits: anything else is not a read-back the kernel makes.
const MAGIC_TEXT =
  /^(enabled|disabled)\ninterpreter ([\s\S]*)\nflags: (P?O?C?F?)\noffset (\d+)\nmagic ((?:[0-9a-f]{2})*)\n(?:mask ((?:[0-9a-f]{2})*)\n)?$/;
const EXTENSION_TEXT = /^(enabled|disabled)\ninterpreter ([\s\S]*?)\nflags: (P?O?C?F?)\nextension \.([\s\S]*)\n$/;

export function parseEntryText(name: string, text: string): Entry {
  const m = MAGIC_TEXT.exec(text);
  if (m) {
    const [, state, interpreter, flags, offset, magic, mask] = m;
    return {
      type: 'magic',
      name,
      enabled: state === 'enabled',
      interpreter: interpreter!,
      flags: flags!,
      offset: Number(offset),
      magic: fromHex(magic!),
      mask: mask === undefined ? null : fromHex(mask),
    };
  }
  const e = EXTENSION_TEXT.exec(text);
  if (e) {
    const [, state, interpreter, flags, extension] = e;
    return {
      type: 'extension',
      name,
      enabled: state === 'enabled',
      interpreter: interpreter!,
      flags: flags!,
      extension: extension!,
    };
  }
  throw new BinfmtError(
    'EIO',
    `binfmt_misc entry '${name}': unexpected read-back text ${JSON.stringify(text.slice(0, 200))}`,
    'entry',
  );
}

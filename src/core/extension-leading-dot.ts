/**
 * The guard against `--extension .jar`: the kernel keeps a leading '.' (it
 * lists the entry as `extension ..jar`) and compares the extension with what
 * follows the last '.' of the exec path (strrchr(bprm->interp, '.'),
 * fs/binfmt_misc.c), which never starts with '.': such an entry can never
 * match. Refused like the other guards (register --force to insist), with
 * the spelling that works.
 */
import type { Entry } from './entry.js';
import { error, type Diagnostic } from './diagnostic.js';

export function extensionLeadingDot(entry: Entry): Diagnostic[] {
  if (entry.type !== 'extension' || !entry.extension.startsWith('.')) return [];
  const bare = entry.extension.replace(/^\.+/, '');
  const fix = bare === '' || bare.includes('.') ? '' : `; write '${bare}' (the kernel adds the '.')`;
  return [
    error(
      'extension-leading-dot',
      'extension',
      `extension: '${entry.extension}' starts with '.', which the kernel keeps (it lists '.${entry.extension}'), and the extension of a path never does: it can never match${fix}`,
    ),
  ];
}

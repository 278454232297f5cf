/**
 * The kernel's choice of handler for one exec, as a pure function
 * (search_binfmt_handler, fs/binfmt_misc.c:90-129; load_misc_binary, :204-284).
 *
 * - With the instance's status disabled, nothing matches (ENOEXEC for non-native files).
 * - Entries are tried newest first; disabled ones are skipped; the first match wins.
 * - Magic: for each byte j, ((buf[offset+j] ^ magic[j]) & mask[j]) == 0 on the
 *   first BINPRM_BUF_SIZE bytes of the file, zero-filled past its end.
 * - Extension: strrchr(path, '.') of the path string given to execve, compared
 *   case-sensitively; the file's contents and its real name do not matter.
 */
import type { Entry } from './entry.js';
import { BINPRM_BUF_SIZE } from './limits.js';

export interface ExecTarget {
  /** The path string handed to execve (not resolved: symlinks and ./ stay as given). */
  path: string;
  /** The file's first bytes (any length; the kernel looks at BINPRM_BUF_SIZE). */
  head: Uint8Array;
}

/** bprm->buf: the first 256 bytes, zero-filled past the end of the file. */
export function execWindow(head: Uint8Array): Uint8Array {
  const buf = new Uint8Array(BINPRM_BUF_SIZE);
  buf.set(head.subarray(0, BINPRM_BUF_SIZE));
  return buf;
}

/** The extension as the kernel sees it: after the last '.' of the whole path string, or null. */
export function pathExtension(path: string): string | null {
  const i = path.lastIndexOf('.');
  return i < 0 ? null : path.slice(i + 1);
}

export function entryMatches(entry: Entry, target: ExecTarget, window = execWindow(target.head)): boolean {
  if (entry.type === 'extension') return pathExtension(target.path) === entry.extension;
  const { offset, magic, mask } = entry;
  for (let j = 0; j < magic.length; j++) {
    const diff = window[offset + j]! ^ magic[j]!;
    if ((mask ? diff & mask[j]! : diff) !== 0) return false;
  }
  return true;
}

/** The entry the kernel would run, given entries in match order (newest first). */
export function matchEntry(entries: readonly Entry[], target: ExecTarget, statusEnabled = true): Entry | null {
  if (!statusEnabled) return null;
  const window = execWindow(target.head);
  return entries.find((e) => e.enabled !== false && entryMatches(e, target, window)) ?? null;
}

/**
 * The argv the interpreter receives for execve(path, argv): the registered
 * interpreter string, the path, then (P) the original argv[0] or (no P) without it.
 * O, C and F do not change argv (the path stays argv[1] even with O).
 */
export function interpreterArgv(entry: Entry, path: string, argv: readonly string[]): string[] {
  const rest = entry.flags.includes('P') ? argv : argv.slice(1);
  return [entry.interpreter, path, ...rest];
}

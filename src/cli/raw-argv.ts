/**
 * Command-line arguments as the bytes the user gave. Node decodes argv as
 * UTF-8 and replaces what is not (a register string may hold any byte), so
 * the bytes are read again from /proc/self/cmdline (NUL-separated, the same
 * arguments in the same order) and matched to the decoded values by position.
 */
import { readFileSync } from 'node:fs';

/** The raw bytes of each of `decodedArgs` (process.argv), or null if cmdline does not line up. */
function rawArgv(decodedArgs: string[]): Uint8Array[] | null {
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return null;
  }
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < cmdline.length; i++) {
    if (cmdline[i] === 0) {
      parts.push(new Uint8Array(cmdline.subarray(start, i)));
      start = i + 1;
    }
  }
  // node's own options come between the binary and the script: count from the end.
  if (parts.length < decodedArgs.length) return null;
  return parts.slice(parts.length - decodedArgs.length);
}

/**
 * The bytes of each value, in order: its position among process.argv (the
 * values commander returns are those strings) gives its raw bytes; a value not
 * found there (main() called from a test) is encoded as UTF-8.
 */
export function rawValues(values: string[], argv: string[] = process.argv.slice(2)): Uint8Array[] {
  const raw = rawArgv(process.argv)?.slice(process.argv.length - argv.length) ?? null;
  const enc = new TextEncoder();
  let cursor = 0;
  return values.map((v) => {
    const at = argv.indexOf(v, cursor);
    if (at < 0 || !raw) return enc.encode(v);
    cursor = at + 1;
    return raw[at]!;
  });
}

/**
 * Facts about files that the safety guards need (the pure lintEntry() takes
 * them as a Probe): first bytes, setuid bit, and PT_INTERP when the file is a
 * dynamically linked ELF program.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FileFacts, Probe } from '../core/entry-lint.js';
import { BINPRM_BUF_SIZE } from '../core/limits.js';
import { interpRange } from '../elf/program-headers.js';
import { readAt, withRegular } from '../sys/bounded-read.js';

/** Enough of a file for the ELF header, program headers and usually PT_INTERP. */
const HEAD_READ = 4096;

/** `length` bytes at `position` of a regular file; null when it is missing, unreadable or not a regular file. */
export function readHead(path: string, length = HEAD_READ, position = 0): Uint8Array | null {
  try {
    return withRegular(path, path, (f) => readAt(f, position, length));
  } catch {
    return null;
  }
}

/** The machine's own programs an entry must not capture: the shell, node itself. */
export function nativeSamples(extra: string[] = []): FileFacts[] {
  const out: FileFacts[] = [];
  for (const path of ['/bin/sh', process.execPath, ...extra]) {
    const head = readHead(path, BINPRM_BUF_SIZE);
    if (head) out.push({ path, head });
  }
  return out;
}

export function interpreterFacts(interpreter: string, cwd = process.cwd()): Probe['interpreter'] {
  const full = resolve(cwd, interpreter);
  const head = readHead(full);
  if (!head) return null;
  let setuid = false;
  try {
    setuid = (statSync(full).mode & 0o4000) !== 0;
  } catch {
    /* unreadable: not setuid as far as we can tell */
  }
  const range = interpRange(head);
  const interpBytes = range ? readHead(full, Math.min(range.size, HEAD_READ), range.offset) : null;
  return { head, ptInterp: interpBytes ? cString(interpBytes) : null, setuid };
}

/** The NUL-terminated string at the start of `bytes` (all of it when there is no NUL). */
function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

export function probeFor(interpreter: string): Probe {
  return { natives: nativeSamples(), interpreter: interpreterFacts(interpreter) };
}

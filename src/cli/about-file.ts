/**
 * Naming the file an error was about, for commands that take a FILE.
 * (Reading it is src/sys/bounded-read.ts: regular files only, never blocking.)
 */
import { BinfmtError } from '../core/binfmt-error.js';

/** Runs `fn`, prefixing a BinfmtError's message with the file it was about. */
export function aboutFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BinfmtError && !e.message.startsWith(file))
      throw new BinfmtError(e.code, `${file}: ${e.message}`, e.field);
    throw e;
  }
}

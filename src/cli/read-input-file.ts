/**
 * Reading a FILE argument for a command, turning Node's errors into a
 * BinfmtError that names the file.
 */
import { readFileSync } from 'node:fs';
import { BinfmtError } from '../core/binfmt-error.js';
import { isSystemError } from '../sys/native.js';

export function readInputFile(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    const code = isSystemError(e) ? e.code : 'EIO';
    throw new BinfmtError(
      code,
      `${file}: ${isSystemError(e) ? e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') : String(e)}`,
      file,
    );
  }
}

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

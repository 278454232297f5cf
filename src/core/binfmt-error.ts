/**
 * The one error type the project throws on purpose. `code` is errno-style
 * (EINVAL, ENOENT, EEXIST, …) so the CLI, JSON output and tests can tell
 * failures apart; `field` names the input that failed (a register-string
 * field, a file:line) when there is one.
 *
 * CLI words stay in src/cli. An error about one of binfmt's own options
 * names it as data, option('stateDir') from src/core/fix.ts, never as
 * `--state-dir`: as its `field`, and where its words mention it, in
 * `message` given as parts (`[option('podman'), ': podman is not on PATH']`).
 * What to do about it is `fix`, data too (words, option(), binfmt('apply')),
 * shown after the message in parentheses. The CLI renders all three with the
 * options' and commands' own words (src/cli/error-words.ts); `message` here
 * is the plain text of message and fix (src/core/fix.ts plainText), for
 * where an error's text goes into another's.
 */
import { isOption, plainOptionWord, plainText, type Fix, type FixOption } from './fix.js';

/** The input that failed: a name (a register-string field, FILE:LINE) or one of binfmt's options. */
export type ErrorField = string | FixOption;

/** Marks BinfmtErrors: instanceof then holds across copies of this module (each CLI bundle chunk carries one). */
const BRAND = Symbol.for('binfmt.BinfmtError');

export class BinfmtError extends Error {
  override readonly name = 'BinfmtError';
  /** The message, as parts (words and options). */
  readonly words: Fix;
  /** The field that failed, as plain text (an option as --state-dir). */
  readonly field?: string;
  /** The option that failed, by its logical name (stateDir), when it is an option. */
  readonly option?: string;

  constructor(
    readonly code: string,
    message: string | Fix,
    field?: ErrorField,
    readonly fix?: Fix,
  ) {
    const words: Fix = typeof message === 'string' ? [message] : message;
    super(plainText(words) + (fix ? ` (${plainText(fix)})` : ''));
    this.words = words;
    if (isOption(field)) {
      this.option = field.option;
      this.field = plainOptionWord(field.option);
    } else if (field !== undefined) this.field = field;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as { [BRAND]?: unknown })[BRAND] === true;
  }
}

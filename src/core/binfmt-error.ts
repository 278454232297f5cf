/**
 * The one error type the project throws on purpose. `code` is errno-style
 * (EINVAL, ENOENT, EEXIST, …) so the CLI, JSON output and tests can tell
 * failures apart; `field` names the input that failed (a register-string
 * field, a file:line, a CLI option) when there is one.
 */

/** Marks BinfmtErrors: instanceof then holds across copies of this module (each CLI bundle chunk carries one). */
const BRAND = Symbol.for('binfmt.BinfmtError');

export class BinfmtError extends Error {
  override readonly name = 'BinfmtError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as { [BRAND]?: unknown })[BRAND] === true;
  }
}

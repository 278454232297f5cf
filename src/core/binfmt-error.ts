/**
 * The one error type the project throws on purpose. `code` is errno-style
 * (EINVAL, ENOENT, EEXIST, …) so the CLI, JSON output and tests can tell
 * failures apart; `field` names the input that failed (a register-string
 * field, a file:line, a CLI option) when there is one.
 */
export class BinfmtError extends Error {
  override readonly name = 'BinfmtError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * A finding about an entry or a register string: an error (the kernel would
 * refuse it, with `errno`) or a warning (the kernel accepts it, but it is
 * probably not what was meant). `field` names the register-string field;
 * `column` is the 1-based byte column in the input, when there is one.
 */
export type Severity = 'error' | 'warning';

export type Field =
  | 'length'
  | 'delimiter'
  | 'name'
  | 'type'
  | 'offset'
  | 'magic'
  | 'mask'
  | 'extension'
  | 'interpreter'
  | 'flags'
  | 'entry';

export interface Diagnostic {
  severity: Severity;
  /** Stable identifier, documented in docs/binfmt-diagnostics.7.md. */
  code: string;
  field: Field;
  column: number | null;
  message: string;
}

export function error(code: string, field: Field, message: string, column: number | null = null): Diagnostic {
  return { severity: 'error', code, field, column, message };
}

export function warning(code: string, field: Field, message: string, column: number | null = null): Diagnostic {
  return { severity: 'warning', code, field, column, message };
}

/**
 * A problem with an entry or a register string (a Problem with its field and
 * column): an error (the kernel would refuse it) or a warning (the kernel
 * accepts it, but it is probably not what was meant). `field` names the
 * register-string field; `column` is the 1-based byte column in the input,
 * when there is one.
 */
import type { Field, Problem } from './problem.js';
import type { ProblemCode } from './problem-codes.js';

export type { Field } from './problem.js';

export interface Diagnostic extends Problem {
  severity: 'error' | 'warning';
  field: Field;
  column: number | null;
}

export function error(code: ProblemCode, field: Field, message: string, column: number | null = null): Diagnostic {
  return { severity: 'error', code, field, column, message };
}

export function warning(code: ProblemCode, field: Field, message: string, column: number | null = null): Diagnostic {
  return { severity: 'warning', code, field, column, message };
}

/**
 * The one shape of every problem binfmt reports, whoever finds it: the
 * register-string parser and the safety guards (Diagnostic), the readers of
 * configuration (ConfigProblem), doctor (Finding). Each fills the parts it
 * knows; the words around them (" (column N)", "the kernel would refuse it",
 * "fix:") are the CLI's (src/cli/render/problem.ts).
 */
import type { Fix } from './fix.js';
import type { ProblemCode } from './problem-codes.js';

/** error: the kernel refuses, or something is broken; warning: accepted, but it will bite; info: worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/** The fields of a register string, and `entry` for the entry as a whole. */
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

export interface Problem {
  severity: Severity;
  /** Stable identifier, in the catalogue (problem-codes.ts) and on binfmt-diagnostics(7). */
  code: ProblemCode;
  message: string;
  /** The register-string field it is about. */
  field?: Field;
  /** 1-based byte column of the register string, when there is one. */
  column?: number | null;
  /** The input it comes from: "file" or "file:line". */
  source?: string;
  /** What it is about (doctor): the mount, "kernel", an entry's name, or a file:line. */
  subject?: string;
  /** The errno the kernel refuses with, when it would. */
  errno?: string;
  /** What to do about it: words and binfmt commands (src/cli renders them). */
  fix?: Fix | null;
}

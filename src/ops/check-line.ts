/**
 * The one way a register string is judged (validate and register): the
 * kernel's verdict with its errno (src/core/register-parse.ts, told which
 * names the instance holds and what opening an F interpreter would say),
 * then the safety guards (src/core/entry-lint.ts) on the files involved.
 */
import type { Diagnostic } from '../core/diagnostic.js';
import type { Entry } from '../core/entry.js';
import { lintEntry } from '../core/entry-lint.js';
import { parseRegister } from '../core/register-parse.js';
import type { BinfmtMisc } from '../kernel/binfmt-misc.js';
import { probeFor } from '../kernel/file-facts.js';
import { openExecErrno } from '../kernel/interpreter-probe.js';

export type LineCheck =
  /** The kernel would accept it; `guards`: the safety guards' findings (errors: register refuses without --force). */
  | { ok: true; entry: Entry; diagnostics: Diagnostic[]; guards: Diagnostic[] }
  /** The kernel would refuse it with `errno`. */
  | { ok: false; errno: string; diagnostics: Diagnostic[]; guards: [] };

/** `kernel`: the instance whose names count as taken (EEXIST); null to judge offline. */
export function checkRegisterLine(line: string | Uint8Array, kernel: BinfmtMisc | null): LineCheck {
  const parsed = parseRegister(line, {
    exists: kernel ? (n) => kernel.has(n) : undefined,
    openInterpreter: (p) => openExecErrno(p),
  });
  if (!parsed.ok) return { ...parsed, guards: [] };
  return { ...parsed, guards: lintEntry(parsed.entry, probeFor(parsed.entry.interpreter)) };
}

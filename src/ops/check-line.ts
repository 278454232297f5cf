/**
 * The one way a register string is judged (validate and register): the
 * kernel's verdict with its errno (src/core/register-parse.ts, told which
 * names the instance holds and what opening an F interpreter would say),
 * then the safety guards (src/core/entry-lint.ts) on the files involved.
 */
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Entry } from '../core/entry.js';
import { lintEntry } from '../core/entry-lint.js';
import type { KernelVersion } from '../core/kernel-version.js';
import { parseRegister } from '../core/register-parse.js';
import type { BinfmtMisc } from '../kernel/binfmt-misc.js';
import { probeFor } from '../kernel/file-facts.js';
import { openExecErrno } from '../kernel/interpreter-probe.js';

export type LineCheck =
  /** The kernel would accept it; `guards` are the safety guards' findings (errors: register refuses without --force). */
  | { ok: true; entry: Entry; diagnostics: Diagnostic[]; guards: Diagnostic[] }
  /** The kernel would refuse it with `errno`. */
  | { ok: false; errno: string; diagnostics: Diagnostic[]; guards: [] };

export interface CheckOptions {
  /** The file an interpreter path will be once installed (a dry run judges the built loader for a copy not yet written). */
  asInstalled?: (path: string) => string;
  /** Warn about an interpreter that cannot be run (register; without F the kernel accepts it). */
  warnMissing?: boolean;
}

/**
 * `kernel`: the instance whose names count as taken (EEXIST); null to judge offline.
 * `version`: whose rules apply where kernels differ (src/core/kernel-rules.ts); undefined: unknown.
 */
export function checkRegisterLine(
  line: string | Uint8Array,
  kernel: BinfmtMisc | null,
  version: KernelVersion | undefined,
  opts: CheckOptions = {},
): LineCheck {
  // Interpreter paths resolve in the instance's root (another process's, with --pid).
  const root = kernel?.root ?? '';
  const installed = opts.asInstalled ?? ((p: string) => p);
  const openErrno = (p: string): string | null => openExecErrno(installed(p), process.cwd(), root);
  const parsed = parseRegister(line, {
    exists: kernel ? (n) => kernel.has(n) : undefined,
    openInterpreter: openErrno,
    kernel: version,
  });
  if (!parsed.ok) return { ...parsed, guards: [] };
  const interpreter = installed(parsed.entry.interpreter);
  const probe = probeFor(root ? join(root, interpreter) : interpreter);
  const guards = lintEntry(
    parsed.entry,
    opts.warnMissing ? { ...probe, interpreterErrno: openErrno(parsed.entry.interpreter) } : probe,
  );
  return { ...parsed, guards };
}

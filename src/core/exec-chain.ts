/**
 * The whole of one execve as the kernel runs it, as a pure function: a
 * handler that rewrites the exec to an interpreter (a binfmt_misc entry,
 * or a #! line) makes exec_binprm() (fs/exec.c) search the handlers again
 * with the interpreter as the file and its path string as the path, so an
 * interpreter that another entry matches goes on to that entry's
 * interpreter, and so on:
 * - binfmt_misc comes first at every step (it is at the head of the
 *   formats); a #! line is read only when no entry matches;
 * - each step's argv is built from the previous one (interpreterArgv);
 * - the sixth rewrite fails with ELOOP (MAX_INTERPRETER_REWRITES);
 * - after an O (or C) step, any further rewrite fails with ENOEXEC
 *   (one execfd hand-over per exec: bprm->executable is already taken);
 * - an interpreter that cannot be opened fails with ENOENT (or its errno).
 * The chain ends at the first file no handler rewrites: the kernel runs it
 * itself (ELF) or fails with ENOEXEC.
 */
import type { Entry } from './entry.js';
import { execWindow, interpreterArgv, matchEntry, type ExecTarget } from './match.js';
import { MAX_INTERPRETER_REWRITES } from './limits.js';

export interface ChainStep {
  /** The binfmt_misc entry that matched, or null for a #! line. */
  entry: Entry | null;
  /** The path string of the file this step matched. */
  path: string;
  /** The interpreter it hands the exec to. */
  interpreter: string;
  /** The argv the interpreter receives. */
  argv: string[];
}

export interface ExecChain {
  steps: ChainStep[];
  /** The argv of the program finally run, or null when the exec fails. */
  argv: string[] | null;
  /** Why the exec fails (ELOOP, ENOEXEC, ENOENT, ...), or null. */
  errno: string | null;
  /** The step that fails, when one does: what it would have rewritten to. */
  failed: ChainStep | null;
}

/** The first bytes of a file by path, or its errno when it cannot be opened. */
export type HeadOf = (path: string) => Uint8Array | { errno: string };

const utf8 = new TextDecoder('utf-8');
const isSpaceTab = (b: number | undefined): boolean => b === 0x20 || b === 0x09;

/**
 * The interpreter and optional argument of a #! line, as load_script()
 * (fs/binfmt_script.c) reads them from the exec window; null if the kernel
 * would not take it as a script.
 */
export function scriptLine(head: Uint8Array): { name: string; arg: string | null } | null {
  const buf = execWindow(head);
  if (buf[0] !== 0x23 || buf[1] !== 0x21) return null;
  let end = buf.indexOf(0x0a);
  if (end < 0) {
    // No newline in the window: the kernel accepts it only if the name is not
    // cut off (a space, tab or NUL after it, the window's last byte included),
    // and the line then ends before that last byte, which becomes the string's
    // NUL (i_end = buf + BINPRM_BUF_SIZE - 1).
    let i = 2;
    while (i < buf.length && isSpaceTab(buf[i])) i++;
    if (i === buf.length) return null;
    while (i < buf.length && !isSpaceTab(buf[i]) && buf[i] !== 0) i++;
    if (i === buf.length) return null;
    end = buf.length - 1;
  }
  while (end > 2 && isSpaceTab(buf[end - 1])) end--;
  let start = 2;
  while (start < end && isSpaceTab(buf[start])) start++;
  if (start === end) return null;
  let sep = start;
  while (sep < end && !isSpaceTab(buf[sep]) && buf[sep] !== 0) sep++;
  const text = (from: number, to: number): string => utf8.decode(buf.subarray(from, to));
  const name = text(start, sep);
  let argStart = sep;
  while (argStart < end && isSpaceTab(buf[argStart])) argStart++;
  const argEnd = buf.subarray(argStart, end).indexOf(0);
  const arg = buf[sep] === 0 || argStart >= end ? null : text(argStart, argEnd < 0 ? end : argStart + argEnd);
  return { name, arg };
}

/** The next rewrite of an exec of `target` with `argv`, or null when no handler rewrites it. */
function nextStep(
  entries: readonly Entry[],
  target: ExecTarget,
  argv: readonly string[],
  statusEnabled: boolean,
): ChainStep | null {
  const entry = matchEntry(entries, target, statusEnabled);
  if (entry)
    return {
      entry,
      path: target.path,
      interpreter: entry.interpreter,
      argv: interpreterArgv(entry, target.path, argv),
    };
  const script = scriptLine(target.head);
  if (!script) return null;
  // load_script: argv[0] is dropped; then the name, the optional argument, the path.
  const rest = argv.slice(1);
  const head = script.arg === null ? [script.name] : [script.name, script.arg];
  return { entry: null, path: target.path, interpreter: script.name, argv: [...head, target.path, ...rest] };
}

export function execChain(
  entries: readonly Entry[],
  target: ExecTarget,
  argv: readonly string[],
  headOf: HeadOf,
  statusEnabled = true,
): ExecChain {
  const steps: ChainStep[] = [];
  let current = target;
  let args: readonly string[] = argv;
  let execfd = false;
  const fail = (errno: string, failed: ChainStep): ExecChain => ({ steps, argv: null, errno, failed });
  for (;;) {
    const step = nextStep(entries, current, args, statusEnabled);
    if (!step) return { steps, argv: [...args], errno: null, failed: null };
    // In the kernel's order: the handler opens the interpreter, exec_binprm
    // checks the execfd hand-over, then the depth.
    const head = headOf(step.interpreter);
    if (!(head instanceof Uint8Array)) {
      // With F the kernel runs the file it opened at registration, which need not be reachable here.
      if (step.entry?.flags.includes('F'))
        return { steps: [...steps, step], argv: step.argv, errno: null, failed: null };
      return fail(head.errno, step);
    }
    if (execfd) return fail('ENOEXEC', step);
    if (step.entry?.flags.includes('O')) execfd = true;
    if (steps.length === MAX_INTERPRETER_REWRITES) return fail('ELOOP', step);
    steps.push(step);
    current = { path: step.interpreter, head };
    args = step.argv;
  }
}

/**
 * How the outcome of a batch of kernel changes is shown (apply, import,
 * reorder): the JSON and the text come from the same BatchOutcome, and the
 * text says "rolled back" only when every undo step was carried out.
 */
import type { Entry } from '../../core/entry.js';
import { count } from '../count.js';
import type { KernelStep } from '../../core/kernel-steps.js';
import type { BatchFailure, BatchOutcome, StepFailure } from '../../kernel/step-runner.js';

export function stepLine(s: KernelStep<Entry>): string {
  return `${s.op} ${s.name}: ${s.why}`;
}

function failureJson(f: StepFailure): { step: string; code: string; message: string } {
  return { step: stepLine(f.step), code: f.code, message: f.message };
}

/**
 * `applied`: every step was carried out. `done`: the kernel operations
 * carried out and kept (what the text counts as "kernel operations"). `failures`: one per refused batch
 * (per entry by default, the whole plan with --atomic), each with its undo.
 * `failure`, `rolledBack` and `rollbackFailures` sum them up (the first
 * failure; every undo step carried out; every undo step that failed).
 */
export function batchJson(o: BatchOutcome): Record<string, unknown> {
  return {
    applied: o.ok,
    done: o.done.map(stepLine),
    failure: o.failures[0] ? failureJson(o.failures[0]) : null,
    rolledBack: o.failures.flatMap((f) => f.undone.map(stepLine)),
    rollbackFailures: o.failures.flatMap((f) => f.undoFailures.map(failureJson)),
    failures: o.failures.map((f) => ({
      name: f.entry?.name ?? null,
      source: f.entry?.source ?? null,
      ...failureJson(f),
      rolledBack: f.undone.map(stepLine),
      rollbackFailures: f.undoFailures.map(failureJson),
    })),
  };
}

/** What became of the steps done before the failure, true to what happened. */
function undoLine(f: BatchFailure, whole: string): string {
  if (f.undoFailures.length > 0) {
    const what = f.undoFailures.map((u) => `${stepLine(u.step)}: ${u.message}`).join('; ');
    return `rollback incomplete (${f.undone.length} of ${count(f.undone.length + f.undoFailures.length, 'undo step')} done): ${what}; ${whole} may be left changed`;
  }
  if (f.undone.length === 0) return `no step was carried out; ${whole} is as before`;
  return `rolled back ${count(f.undone.length, 'step')}; ${whole} is as before`;
}

/** A failed all-or-nothing batch, for standard output. */
export function batchFailureText(o: BatchOutcome): string[] {
  return o.failures.flatMap((f) => [`failed: ${stepLine(f.step)}: ${f.message}`, undoLine(f, 'the instance')]);
}

/** Entries refused one by one (the others applied), for standard error: file:line, name, errno, and the undo. */
export function refusalLines(o: BatchOutcome): string[] {
  return o.failures.map((f) => {
    const where = f.entry?.source ? `${f.entry.source}: ` : '';
    const name = f.entry?.name ?? f.step.name;
    const undo = f.undone.length + f.undoFailures.length > 0 ? `; ${undoLine(f, `'${name}'`)}` : '';
    const message = f.message.endsWith(` (${f.code})`) ? f.message.slice(0, -f.code.length - 3) : f.message;
    return `${where}error: '${name}': refused by the kernel (${f.code}): ${message}; skipped${undo}`;
  });
}

/**
 * Carries out kernel steps (src/core/kernel-steps.ts) on a binfmt_misc mount
 * as one batch: on the first failure, the steps already done are undone in
 * reverse order, so the instance ends as it began (make-before-break holds
 * during the undo too: see kernel-steps.ts).
 */
import type { Entry } from '../core/entry.js';
import { formatRegister } from '../core/register-format.js';
import { undoStep, type KernelStep } from '../core/kernel-steps.js';
import type { BinfmtMisc } from './binfmt-misc.js';

export interface StepFailure {
  step: KernelStep<Entry>;
  code: string;
  message: string;
}

export interface BatchOutcome {
  ok: boolean;
  done: KernelStep<Entry>[];
  failure: StepFailure | null;
  /** Undo steps carried out after a failure, in order. */
  undone: KernelStep<Entry>[];
  /** Undo steps that failed too: the instance may be left changed. */
  undoFailures: StepFailure[];
}

/** The canonical register bytes for `def` under `name`. */
function registerBytes(def: Entry, name = def.name): Uint8Array {
  return Buffer.from(formatRegister({ ...def, name }));
}

function runStep(kernel: BinfmtMisc, s: KernelStep<Entry>): void {
  if (s.op === 'register') {
    const entry = { ...s.def, name: s.name };
    delete entry.enabled;
    kernel.register(registerBytes(entry), entry);
  } else {
    kernel.remove(s.name);
  }
}

function failureOf(step: KernelStep<Entry>, e: unknown): StepFailure {
  const err = e as { code?: string; message?: string };
  const code = err.code ?? 'EIO';
  // With F the kernel opens the interpreter at registration (open_exec() in bm_register_write,
  // before the name lookup): a missing or non-executable file fails the write itself.
  if (step.op === 'register' && step.def.flags.includes('F') && (code === 'ENOENT' || code === 'EACCES')) {
    return { step, code, message: `F: the kernel could not open the interpreter ${step.def.interpreter} (${code})` };
  }
  return { step, code, message: err.message ?? String(e) };
}

export function runBatch(kernel: BinfmtMisc, steps: KernelStep<Entry>[]): BatchOutcome {
  const done: KernelStep<Entry>[] = [];
  for (const s of steps) {
    try {
      runStep(kernel, s);
      done.push(s);
    } catch (e) {
      const failure = failureOf(s, e);
      const undone: KernelStep<Entry>[] = [];
      const undoFailures: StepFailure[] = [];
      // A register that failed after its write (read-back mismatch) left an entry: undo it too.
      if (s.op === 'register' && failure.code === 'EIO' && kernel.has(s.name) && !done.some((d) => d.name === s.name && d.op === 'register')) done.push(s);
      for (const d of [...done].reverse()) {
        const u = undoStep(d);
        try {
          runStep(kernel, u);
          undone.push(u);
        } catch (ue) {
          undoFailures.push(failureOf(u, ue));
        }
      }
      return { ok: false, done, failure, undone, undoFailures };
    }
  }
  return { ok: true, done, failure: null, undone: [], undoFailures: [] };
}

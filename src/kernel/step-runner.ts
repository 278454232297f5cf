/**
 * Carries out kernel steps (src/core/kernel-steps.ts) on a binfmt_misc mount
 * in batches: on the first failure in a batch, the steps of that batch
 * already done are undone in reverse order, so the batch leaves the instance
 * as it found it (make-before-break holds during the undo too: see
 * kernel-steps.ts). runBatch makes everything one batch; runEach makes one
 * batch per entry.
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

/** A batch the kernel refused one step of, and the undo of its steps done before. */
export interface BatchFailure extends StepFailure {
  /** The entry the batch was for (runEach), or null for one batch of everything (runBatch). */
  entry: { name: string; source: string | null } | null;
  /** Undo steps carried out, in order. */
  undone: KernelStep<Entry>[];
  /** Undo steps that failed too: the instance may be left changed. */
  undoFailures: StepFailure[];
}

export interface BatchOutcome {
  /** Every step was carried out. */
  ok: boolean;
  /** Steps carried out and not undone, in order. */
  done: KernelStep<Entry>[];
  failures: BatchFailure[];
}

/** The steps for one entry (one plan action), carried out all or nothing. */
export interface StepGroup {
  name: string;
  /** "file:line" of the configuration line, or null (a removal). */
  source: string | null;
  steps: KernelStep<Entry>[];
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

/** Runs `steps` in order; on the first failure undoes the ones done, in reverse order. */
function runAllOrNothing(
  kernel: BinfmtMisc,
  steps: KernelStep<Entry>[],
  entry: BatchFailure['entry'],
): { done: KernelStep<Entry>[]; failure: BatchFailure | null } {
  const done: KernelStep<Entry>[] = [];
  for (const s of steps) {
    try {
      runStep(kernel, s);
      done.push(s);
    } catch (e) {
      const failure = failureOf(s, e);
      // A register that failed after its write (read-back mismatch) left an entry: undo it too.
      if (
        s.op === 'register' &&
        failure.code === 'EIO' &&
        kernel.has(s.name) &&
        !done.some((d) => d.name === s.name && d.op === 'register')
      )
        done.push(s);
      const undone: KernelStep<Entry>[] = [];
      const undoFailures: StepFailure[] = [];
      const kept: KernelStep<Entry>[] = [];
      for (const d of [...done].reverse()) {
        const u = undoStep(d);
        try {
          runStep(kernel, u);
          undone.push(u);
        } catch (ue) {
          undoFailures.push(failureOf(u, ue));
          kept.unshift(d);
        }
      }
      return { done: kept, failure: { ...failure, entry, undone, undoFailures } };
    }
  }
  return { done, failure: null };
}

/** One batch, all or nothing: on a failure every step done is undone (binfmt apply --atomic, reorder). */
export function runBatch(kernel: BinfmtMisc, steps: KernelStep<Entry>[]): BatchOutcome {
  const { done, failure } = runAllOrNothing(kernel, steps, null);
  return { ok: failure === null, done, failures: failure ? [failure] : [] };
}

/**
 * Each group all or nothing, and a group the kernel refuses does not stop the
 * others: how systemd-binfmt registers at boot (one failed line is reported,
 * the rest registered), with make-before-break kept within each entry.
 */
export function runEach(kernel: BinfmtMisc, groups: StepGroup[]): BatchOutcome {
  const done: KernelStep<Entry>[] = [];
  const failures: BatchFailure[] = [];
  for (const g of groups) {
    const r = runAllOrNothing(kernel, g.steps, { name: g.name, source: g.source });
    done.push(...r.done);
    if (r.failure) failures.push(r.failure);
  }
  return { ok: failures.length === 0, done, failures };
}

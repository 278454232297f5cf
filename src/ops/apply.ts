/**
 * apply: carry out a plan made by src/ops/reconcile.ts on the kernel, and
 * record what binfmt owns afterwards.
 *
 * Two ways, both make-before-break within each entry (src/core/kernel-steps.ts):
 * - by default as systemd-binfmt does at boot: each entry on its own, an
 *   entry the kernel refuses is reported and skipped, the others are applied.
 *   One broken package (an F entry whose interpreter was uninstalled) must not
 *   leave a machine with no entries at all. A refused change keeps the old
 *   definition registered (systemd-binfmt flushes everything first, so there
 *   is no old definition at boot; here there may be, and it still works);
 * - atomic: the whole plan as one batch, undone completely when the kernel
 *   refuses any step.
 */
import { OwnershipStore, type OwnedEntry } from '../config/ownership-state.js';
import { withStateLock } from '../config/state-lock.js';
import type { ConfigProblem } from '../core/config-entries.js';
import type { Entry } from '../core/entry.js';
import { kernelStepGroups, type KernelStep } from '../core/kernel-steps.js';
import type { DesiredItem } from '../core/reconcile-plan.js';
import { canonical } from '../core/register-format.js';
import { instanceKey, openInstance } from '../kernel/instance.js';
import { runBatch, runEach, type BatchOutcome } from '../kernel/step-runner.js';
import { reconcile, reconcileDesired, type ReconcileRequest, type Reconciliation } from './reconcile.js';

export interface ApplyMode {
  /** All or nothing (true), or entry by entry, skipping what the kernel refuses (default). */
  atomic?: boolean;
  dryRun?: boolean;
}

/** What apply did: the plan, and the outcome of carrying it out (null on a dry run). */
export interface Applied {
  reconciliation: Reconciliation;
  atomic: boolean;
  outcome: BatchOutcome | null;
}

/**
 * Ownership after apply: leftovers we still own, then the configured entries
 * in order. An entry whose steps were refused (and undone) stays as it was:
 * owned with its old definition if it was owned before, else not at all.
 */
function ownedAfter(r: Reconciliation, refused: ReadonlySet<string>): OwnedEntry[] {
  const placed = new Set<string>();
  const configured: OwnedEntry[] = [];
  const before = new Map(r.owned.map((o) => [o.name, o.source]));
  const live = new Map(r.live.map((l) => [l.name, l]));
  for (const a of r.plan.actions) {
    if (refused.has(a.name) && (a.kind === 'add' || a.kind === 'change')) {
      const l = live.get(a.name);
      if (l?.owned)
        configured.push({ name: a.name, register: canonical(l.def), source: before.get(a.name) ?? a.source });
    } else if (a.kind === 'add' || a.kind === 'change')
      configured.push({ name: a.name, register: canonical(a.to), source: a.source });
    else if (a.kind === 'unchanged') configured.push({ name: a.name, register: canonical(a.def), source: a.source });
    else continue;
    placed.add(a.name);
  }
  const kept = new Set([...r.plan.stale, ...refused]);
  const leftovers = r.live
    .filter((l) => l.owned && kept.has(l.name) && !placed.has(l.name))
    .map((l) => ({ name: l.name, register: canonical(l.def), source: before.get(l.name) ?? 'unknown' }));
  return [...leftovers, ...configured];
}

/**
 * Before a batch, claim every name it may register (temporary names included)
 * with the definition it will carry: if the run dies half way, the next
 * apply recognises what it left (owned, same definition) and cleans it up.
 */
function claims(steps: KernelStep<Entry>[]): OwnedEntry[] {
  return steps
    .filter((s) => s.op === 'register')
    .map((s) => ({ name: s.name, register: canonical({ ...s.def, name: s.name }), source: `pending: ${s.why}` }));
}

/**
 * --atomic when the plan already knows the kernel will refuse a step (F and
 * an interpreter it cannot open): the batch could only be carried out and
 * undone again, on every run. Refused before any kernel operation instead,
 * so that a second run changes nothing either; the undo path stays for what
 * no plan foresees (an interpreter opened for writing: ETXTBSY).
 */
function foreseenFailure(r: Reconciliation): BatchOutcome | null {
  const f = r.refusals[0];
  const step = f && r.steps.find((s) => s.op === 'register' && s.def.name === f.name);
  if (!f || !step) return null;
  const message = `${f.message} (${f.errno}); nothing was done`;
  return {
    ok: false,
    done: [],
    failures: [{ step, code: f.errno, message, entry: null, undone: [], undoFailures: [] }],
  };
}

/** Carries out a plan made by reconcile(), under the state lock (see applyConfiguration). */
export function applyReconciliation(r: Reconciliation, mode: ApplyMode = {}): BatchOutcome {
  const foreseen = mode.atomic ? foreseenFailure(r) : null;
  if (foreseen) return foreseen;
  const store = new OwnershipStore(r.stateDir, instanceKey(r));
  const pending = claims(r.steps);
  if (pending.length) store.save([...r.owned, ...pending]);
  const groups = kernelStepGroups(
    r.plan.actions,
    r.live.map((l) => l.name),
  );
  const inst = openInstance({ mount: r.mount, pid: r.pid, attach: r.steps.some((s) => s.op === 'register') });
  let outcome: BatchOutcome;
  try {
    outcome = mode.atomic ? runBatch(inst.kernel, r.steps) : runEach(inst.kernel, groups);
  } finally {
    inst.close();
  }
  // Claims stay only where an undo failed, so the next apply recognises what was left.
  const unsettled = outcome.failures.filter((f) => f.undoFailures.length > 0);
  if (mode.atomic && !outcome.ok) {
    if (unsettled.length === 0) store.save(r.owned);
    return outcome;
  }
  const refused = new Set(outcome.failures.flatMap((f) => (f.entry ? [f.entry.name] : [])));
  const left = groups.filter((g) => unsettled.some((f) => f.entry?.name === g.name)).flatMap((g) => claims(g.steps));
  const owned = [...ownedAfter(r, refused), ...left];
  // An unchanged record is not rewritten: a no-op apply writes nothing at all.
  if (r.steps.length > 0 || r.loadWarning !== null || JSON.stringify(owned) !== JSON.stringify(r.owned))
    store.save(owned);
  return outcome;
}

/**
 * `binfmt apply`: plan and carry out under the state lock, so that no other
 * binfmt changes the mount between planning and acting. A dry run only plans.
 */
export function applyConfiguration(req: ReconcileRequest & ApplyMode): Applied {
  return planAndApply(req, () => reconcile(req));
}

/** The same for entries from anywhere (`binfmt import` registers this way): see reconcileDesired. */
export function applyDesired(
  desired: DesiredItem<Entry>[],
  given: ConfigProblem[],
  req: Omit<ReconcileRequest, 'configRoot'> & ApplyMode,
): Applied {
  return planAndApply(req, () => reconcileDesired(desired, given, [], req));
}

function planAndApply(
  req: { mount: string; pid?: number | null; stateDir: string } & ApplyMode,
  plan: () => Reconciliation,
): Applied {
  const atomic = req.atomic === true;
  if (req.dryRun) return { reconciliation: plan(), atomic, outcome: null };
  return withStateLock(req.stateDir, instanceKey(req), () => {
    const r = plan();
    return { reconciliation: r, atomic, outcome: applyReconciliation(r, { atomic }) };
  });
}

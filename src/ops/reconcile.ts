/**
 * plan and apply: read binfmt.d below a root, read the kernel and the
 * ownership state, plan (src/core/reconcile-plan.ts), and carry the plan out
 * as one batch that rolls back on failure (src/kernel/step-runner.ts).
 */
import { readBinfmtd, type ConfFileReport } from '../config/binfmtd-sources.js';
import { OwnershipStore, type OwnedEntry } from '../config/ownership-state.js';
import { withStateLock } from '../config/state-lock.js';
import { configEntries, type ConfigProblem } from '../core/config-entries.js';
import type { Entry } from '../core/entry.js';
import { entriesOverlap } from '../core/entry-overlap.js';
import { entryDifferences, type FieldDifference } from '../core/entry-diff.js';
import { canonical } from '../core/register-format.js';
import { planReconcile, type DesiredItem, type LiveItem, type Plan } from '../core/reconcile-plan.js';
import { isTemporaryName, kernelSteps, type KernelStep } from '../core/kernel-steps.js';
import { BinfmtMisc } from '../kernel/binfmt-misc.js';
import { runBatch, type BatchOutcome } from '../kernel/step-runner.js';
import { openExecErrno } from '../kernel/interpreter-probe.js';

/** What plan and apply are asked to do: a plain value the CLI builds from its options. */
export interface ReconcileRequest {
  /** binfmt.d directories are read below this root ("/" for the machine's own). */
  configRoot: string;
  mount: string;
  stateDir: string;
  /** Also remove owned entries that are no longer configured. */
  prune?: boolean;
  /** Take over entries registered by someone else. */
  force?: boolean;
}

/** A plan and everything it was made from: plain data, no handles (ops re-opens the mount and the state to act). */
export interface Reconciliation {
  mount: string;
  stateDir: string;
  /** The configuration files read, with what became of each. */
  files: ConfFileReport[];
  problems: ConfigProblem[];
  warnings: string[];
  plan: Plan<Entry>;
  steps: KernelStep<Entry>[];
  /** The ownership record as loaded (empty when it was ignored). */
  owned: OwnedEntry[];
  /** The kernel's entries when planned, oldest first. */
  live: LiveItem<Entry>[];
  /** Why the state file was ignored, or null. */
  loadWarning: string | null;
}

function sameDefinition(a: Entry, b: Entry): boolean {
  return canonical(a) === canonical(b) && (a.enabled !== false) === (b.enabled !== false);
}

/** The kernel's entries, oldest first, each marked owned when the state records exactly this definition. */
function liveItems(kernel: BinfmtMisc, owned: OwnedEntry[]): LiveItem<Entry>[] {
  // A name may carry several records while a batch is pending (old and new definition).
  const record = new Map<string, Set<string>>();
  for (const o of owned) record.set(o.name, (record.get(o.name) ?? new Set()).add(o.register));
  return kernel
    .list()
    .reverse()
    .map((e) => ({ name: e.name, def: e, owned: record.get(e.name)?.has(canonical(e)) ?? false }));
}

export function reconcile(opts: ReconcileRequest): Reconciliation {
  const config = readBinfmtd(opts.configRoot);
  const { desired, problems } = configEntries(config.lines);
  return reconcileDesired(desired, [...config.problems, ...problems], config.files, opts);
}

/**
 * The same for entries from anywhere (import registers this way): `desired`
 * in registration order. Entries not in `desired` are left alone unless
 * `prune` is set.
 */
export function reconcileDesired(desired: DesiredItem<Entry>[], given: ConfigProblem[], files: ConfFileReport[], opts: Omit<ReconcileRequest, 'configRoot'>): Reconciliation {
  const problems = [...given];
  const kernel = new BinfmtMisc(opts.mount);
  kernel.ensureMounted();
  const store = new OwnershipStore(opts.stateDir, opts.mount);
  const loaded = store.load();
  const warnings = loaded.warning ? [loaded.warning] : [];
  const live = liveItems(kernel, loaded.state.entries);
  const plan = planReconcile(desired, live, { equal: sameDefinition, prune: opts.prune, force: opts.force, overlaps: entriesOverlap, disposable: isTemporaryName });
  for (const a of plan.actions) {
    if (a.kind === 'conflict') {
      problems.push({ where: a.source, severity: 'error', message: `'${a.name}' is registered by someone else with a different definition; leaving it alone (--force takes it over)` });
    }
    if ((a.kind === 'add' || a.kind === 'change') && a.to.flags.includes('F')) {
      const errno = openExecErrno(a.to.interpreter);
      if (errno) problems.push({ where: a.source, severity: 'warning', message: `F: the kernel cannot open ${a.to.interpreter} (${errno}); apply will fail and roll back` });
    }
  }
  const steps = kernelSteps(plan.actions, live.map((l) => l.name));
  return { mount: kernel.mount, stateDir: opts.stateDir, files, problems, warnings, plan, steps, owned: loaded.state.entries, live, loadWarning: loaded.warning };
}

/** What a change differs in, field by field (kernel vs config). */
export function changeDetails(plan: Plan<Entry>): { name: string; reason: string; source: string; fields: FieldDifference[] }[] {
  return plan.actions.flatMap((a) =>
    a.kind === 'change' ? [{ name: a.name, reason: a.reason, source: a.source, fields: entryDifferences(a.from, a.to) }] : [],
  );
}

/** Ownership after a successful batch: leftovers we still own, then the configured entries in order. */
function ownedAfter(r: Reconciliation): OwnedEntry[] {
  const placed = new Set<string>();
  const configured: OwnedEntry[] = [];
  for (const a of r.plan.actions) {
    if (a.kind === 'add' || a.kind === 'change') configured.push({ name: a.name, register: canonical(a.to), source: a.source });
    else if (a.kind === 'unchanged') configured.push({ name: a.name, register: canonical(a.def), source: a.source });
    else continue;
    placed.add(a.name);
  }
  const stale = new Set(r.plan.stale);
  const source = new Map(r.owned.map((o) => [o.name, o.source]));
  const leftovers = r.live
    .filter((l) => l.owned && stale.has(l.name) && !placed.has(l.name))
    .map((l) => ({ name: l.name, register: canonical(l.def), source: source.get(l.name) ?? 'unknown' }));
  return [...leftovers, ...configured];
}

/**
 * Before a batch, claim every name it may register (temporary names included)
 * with the definition it will carry: if the run dies half way, the next
 * apply recognises what it left (owned, same definition) and cleans it up.
 */
function claimBeforeBatch(store: OwnershipStore, owned: OwnedEntry[], steps: KernelStep<Entry>[]): void {
  const claims = steps.filter((s) => s.op === 'register').map((s) => ({ name: s.name, register: canonical({ ...s.def, name: s.name }), source: `pending: ${s.why}` }));
  if (claims.length) store.save([...owned, ...claims]);
}

/** Carries out a plan made by reconcile() (under the state lock: see applyConfiguration). */
export function applyReconciliation(r: Reconciliation): BatchOutcome {
  const store = new OwnershipStore(r.stateDir, r.mount);
  claimBeforeBatch(store, r.owned, r.steps);
  const outcome = runBatch(new BinfmtMisc(r.mount), r.steps);
  if (!outcome.ok) {
    // Rolled back: the claims are void. If the rollback itself failed, keep
    // them, so the next apply recognises what was left.
    if (outcome.undoFailures.length === 0) store.save(r.owned);
    return outcome;
  }
  const owned = ownedAfter(r);
  // An unchanged record is not rewritten: a no-op apply writes nothing at all.
  if (r.steps.length > 0 || r.loadWarning !== null || JSON.stringify(owned) !== JSON.stringify(r.owned)) store.save(owned);
  return outcome;
}

/** What apply did: the plan, and the outcome of carrying it out (null on a dry run). */
export interface Applied {
  reconciliation: Reconciliation;
  outcome: BatchOutcome | null;
}

/**
 * `binfmt apply`: plan and carry out under the state lock, so that no other
 * binfmt changes the mount between planning and acting. A dry run only plans.
 */
export function applyConfiguration(req: ReconcileRequest & { dryRun?: boolean }): Applied {
  return planAndApply(req, () => reconcile(req));
}

/**
 * The same for entries from anywhere (`binfmt import` registers this way):
 * see reconcileDesired.
 */
export function applyDesired(
  desired: DesiredItem<Entry>[],
  given: ConfigProblem[],
  req: Omit<ReconcileRequest, 'configRoot'> & { dryRun?: boolean },
): Applied {
  return planAndApply(req, () => reconcileDesired(desired, given, [], req));
}

function planAndApply(req: { mount: string; stateDir: string; dryRun?: boolean }, plan: () => Reconciliation): Applied {
  if (req.dryRun) return { reconciliation: plan(), outcome: null };
  return withStateLock(req.stateDir, req.mount, () => {
    const r = plan();
    return { reconciliation: r, outcome: applyReconciliation(r) };
  });
}


/**
 * plan and apply: read binfmt.d below a root, read the kernel and the
 * ownership state, plan (src/core/reconcile-plan.ts), and carry the plan out
 * as one batch that rolls back on failure (src/kernel/step-runner.ts).
 */
import { readBinfmtd, type ConfFileReport } from './binfmtd-sources.js';
import { OwnershipStore, type OwnedEntry } from './ownership-state.js';
import { configEntries, type ConfigProblem } from '../core/config-entries.js';
import type { Entry } from '../core/entry.js';
import { entriesOverlap } from '../core/entry-overlap.js';
import { entryDifferences, type FieldDifference } from '../core/entry-diff.js';
import { formatRegister } from '../core/register-format.js';
import { planReconcile, type DesiredItem, type LiveItem, type Plan } from '../core/reconcile-plan.js';
import { isTemporaryName, kernelSteps, type KernelStep } from '../core/kernel-steps.js';
import { BinfmtMisc } from '../kernel/binfmt-misc.js';
import { runBatch, type BatchOutcome } from '../kernel/step-runner.js';
import { openExecErrno } from '../kernel/interpreter-probe.js';

export interface ReconcileOptions {
  configRoot: string;
  mount: string;
  stateDir: string;
  prune?: boolean;
  force?: boolean;
}

export interface Reconciliation {
  /** The configuration files read, with what became of each. */
  files: ConfFileReport[];
  problems: ConfigProblem[];
  warnings: string[];
  plan: Plan<Entry>;
  steps: KernelStep<Entry>[];
  store: OwnershipStore;
  owned: OwnedEntry[];
  /** The kernel's entries when planned, oldest first. */
  live: LiveItem<Entry>[];
  /** Why the state file was ignored, or null. */
  loadWarning: string | null;
  kernel: BinfmtMisc;
}

/** The canonical register string: equal strings mean equal definitions (enabled aside). */
export function canonical(e: Entry): string {
  return formatRegister({ ...e, enabled: undefined });
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

/** ReconcileOptions from CLI options (--config-root, --mount, --state-dir, --prune, --force). */
export function reconcileOptions(opts: Record<string, unknown>, defaults: { mount: string; stateDir: string }): ReconcileOptions {
  return {
    configRoot: String(opts.configRoot ?? '/'),
    mount: typeof opts.mount === 'string' ? opts.mount : defaults.mount,
    stateDir: String(opts.stateDir ?? defaults.stateDir),
    prune: opts.prune === true,
    force: opts.force === true,
  };
}

export function reconcile(opts: ReconcileOptions): Reconciliation {
  const config = readBinfmtd(opts.configRoot);
  const { desired, problems } = configEntries(config.lines);
  return reconcileDesired(desired, [...config.problems, ...problems], config.files, opts);
}

/**
 * The same for entries from anywhere (import registers this way): `desired`
 * in registration order. Entries not in `desired` are left alone unless
 * `prune` is set.
 */
export function reconcileDesired(desired: DesiredItem<Entry>[], given: ConfigProblem[], files: ConfFileReport[], opts: Omit<ReconcileOptions, 'configRoot'>): Reconciliation {
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
  return { files, problems, warnings, plan, steps, store, owned: loaded.state.entries, live, loadWarning: loaded.warning, kernel };
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

export function applyReconciliation(r: Reconciliation): BatchOutcome {
  claimBeforeBatch(r.store, r.owned, r.steps);
  const outcome = runBatch(r.kernel, r.steps);
  if (!outcome.ok) {
    // Rolled back: the claims are void. If the rollback itself failed, keep
    // them, so the next apply recognises what was left.
    if (outcome.undoFailures.length === 0) r.store.save(r.owned);
    return outcome;
  }
  const owned = ownedAfter(r);
  // An unchanged record is not rewritten: a no-op apply writes nothing at all.
  if (r.steps.length > 0 || r.loadWarning !== null || JSON.stringify(owned) !== JSON.stringify(r.owned)) r.store.save(owned);
  return outcome;
}


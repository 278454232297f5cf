/**
 * plan: read binfmt.d below a root, read the kernel and the ownership state,
 * and plan (src/core/reconcile-plan.ts), predicting which entries the kernel
 * will refuse. src/ops/apply.ts carries a plan out.
 */
import { readBinfmtd, type ConfFileReport } from '../config/binfmtd-sources.js';
import { OwnershipStore, type OwnedEntry } from '../config/ownership-state.js';
import { configEntries, type ConfigProblem } from '../core/config-entries.js';
import { runningKernel } from '../kernel/running-kernel.js';
import type { Entry } from '../core/entry.js';
import { entriesOverlap } from '../core/entry-overlap.js';
import { option, plainText } from '../core/fix.js';
import { entryDifferences, type FieldDifference } from '../core/entry-diff.js';
import { canonical } from '../core/register-format.js';
import { planReconcile, type DesiredItem, type LiveItem, type Plan } from '../core/reconcile-plan.js';
import { isTemporaryName, kernelSteps, type KernelStep } from '../core/kernel-steps.js';
import type { BinfmtMisc } from '../kernel/binfmt-misc.js';
import { openInstance } from '../kernel/instance.js';
import { openExecErrno } from '../kernel/interpreter-probe.js';

/** What plan and apply are asked to do: a plain value the CLI builds from its options. */
export interface ReconcileRequest {
  /** binfmt.d directories are read below this root ("/" for the machine's own). */
  configRoot: string;
  mount: string;
  /** The instance of this process's user namespace instead of `mount` (--pid); interpreters are paths inside its root. */
  pid?: number | null;
  stateDir: string;
  /** Also remove owned entries that are no longer configured. */
  prune?: boolean;
  /** Take over entries registered by someone else. */
  force?: boolean;
}

/** An entry the kernel is expected to refuse, and why (errno as the kernel would return it). */
export interface PredictedRefusal {
  name: string;
  source: string;
  errno: string;
  message: string;
}

/** A plan and everything it was made from: plain data, no handles (ops re-opens the mount and the state to act). */
export interface Reconciliation {
  mount: string;
  pid: number | null;
  stateDir: string;
  /** The configuration files read, with what became of each. */
  files: ConfFileReport[];
  problems: ConfigProblem[];
  warnings: string[];
  plan: Plan<Entry>;
  /** Entries apply will try to register and the kernel will refuse (apply skips them; --atomic fails). */
  refusals: PredictedRefusal[];
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
  const { desired, problems } = configEntries(config.lines, runningKernel());
  return reconcileDesired(desired, [...config.problems, ...problems], config.files, opts);
}

/**
 * The same for entries from anywhere (import registers this way): `desired`
 * in registration order. Entries not in `desired` are left alone unless
 * `prune` is set.
 */
export function reconcileDesired(
  desired: DesiredItem<Entry>[],
  given: ConfigProblem[],
  files: ConfFileReport[],
  opts: Omit<ReconcileRequest, 'configRoot'>,
): Reconciliation {
  const problems = [...given];
  const inst = openInstance({ mount: opts.mount, pid: opts.pid, attach: false });
  try {
    return plan(inst.kernel, inst.key, desired, problems, files, opts);
  } finally {
    inst.close();
  }
}

function plan(
  kernel: BinfmtMisc,
  key: string,
  desired: DesiredItem<Entry>[],
  problems: ConfigProblem[],
  files: ConfFileReport[],
  opts: Omit<ReconcileRequest, 'configRoot'>,
): Reconciliation {
  kernel.ensureMounted();
  const store = new OwnershipStore(opts.stateDir, key);
  const loaded = store.load();
  const warnings = loaded.warning ? [loaded.warning] : [];
  const live = liveItems(kernel, loaded.state.entries);
  // With F the kernel opens the interpreter when the entry is registered, and refuses it with that errno.
  const refusal = (e: Entry): string | null =>
    e.flags.includes('F') ? openExecErrno(kernel.root ? `${kernel.root}${e.interpreter}` : e.interpreter) : null;
  const plan = planReconcile(desired, live, {
    equal: sameDefinition,
    prune: opts.prune,
    force: opts.force,
    overlaps: entriesOverlap,
    disposable: isTemporaryName,
    refused: (e) => refusal(e) !== null,
  });
  const refusals: PredictedRefusal[] = [];
  for (const a of plan.actions) {
    if (a.kind === 'conflict') {
      problems.push({
        source: a.source,
        severity: 'error',
        code: 'config-conflict',
        message: `'${a.name}' is registered by someone else with a different definition; leaving it alone (${plainText([option('force'), ' takes it over'])})`,
      });
    }
    if (a.kind !== 'add' && a.kind !== 'change') continue;
    const errno = refusal(a.to);
    if (errno)
      refusals.push({
        name: a.name,
        source: a.source,
        errno,
        message: `F: the kernel opens the interpreter ${a.to.interpreter} when registering, and cannot`,
      });
  }
  const steps = kernelSteps(
    plan.actions,
    live.map((l) => l.name),
  );
  return {
    mount: opts.pid == null ? kernel.mount : key,
    pid: opts.pid ?? null,
    stateDir: opts.stateDir,
    files,
    problems,
    warnings,
    plan,
    refusals,
    steps,
    owned: loaded.state.entries,
    live,
    loadWarning: loaded.warning,
  };
}

/** What a change differs in, field by field (kernel vs config). */
export function changeDetails(
  plan: Plan<Entry>,
): { name: string; reason: string; source: string; fields: FieldDifference[] }[] {
  return plan.actions.flatMap((a) =>
    a.kind === 'change'
      ? [{ name: a.name, reason: a.reason, source: a.source, fields: entryDifferences(a.from, a.to) }]
      : [],
  );
}

/**
 * binfmt reorder NAME --before OTHER: make NAME match before OTHER. The
 * kernel tries the newest entry first and has no way to move one, so NAME is
 * registered again, make-before-break (src/core/kernel-steps.ts), which makes
 * it the newest. Only entries binfmt owns, unless forced.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { option, plainText } from '../core/fix.js';
import type { Entry } from '../core/entry.js';
import { kernelSteps, type KernelStep } from '../core/kernel-steps.js';
import { instanceKey, openInstance } from '../kernel/instance.js';
import { runBatch, type BatchOutcome } from '../kernel/step-runner.js';
import { OwnershipStore } from '../config/ownership-state.js';
import { withStateLock } from '../config/state-lock.js';
import { canonical } from '../core/register-format.js';

/** What `binfmt reorder` is asked to do: a plain value the CLI builds from its options. */
export interface ReorderRequest {
  mount: string;
  stateDir: string;
  name: string;
  before: string;
  force?: boolean;
  dryRun?: boolean;
}

export interface ReorderPlan {
  mount: string;
  stateDir: string;
  name: string;
  before: string;
  /** Already matched before OTHER: nothing to do. */
  already: boolean;
  steps: KernelStep<Entry>[];
  warnings: string[];
}

export function planReorder(
  mount: string,
  stateDir: string,
  name: string,
  before: string,
  force: boolean,
): ReorderPlan {
  const inst = openInstance({ mount, attach: false });
  const kernel = inst.kernel;
  const names = kernel.names(); // newest first: match order
  for (const n of [name, before])
    if (!names.includes(n)) throw new BinfmtError('ENOENT', `no binfmt_misc entry '${n}' in ${kernel.mount}`, 'name');
  if (name === before) throw new BinfmtError('EINVAL', `cannot reorder '${name}' before itself`, 'name');
  const store = new OwnershipStore(stateDir, inst.key);
  const loaded = store.load();
  const warnings = loaded.warning ? [loaded.warning] : [];
  const already = names.indexOf(name) < names.indexOf(before);
  const entry = kernel.read(name);
  const owned = loaded.state.entries.some((o) => o.name === name && o.register === canonical(entry));
  if (!already && !owned && !force) {
    throw new BinfmtError(
      'EPERM',
      `'${name}' was not registered by binfmt; moving it means registering it again`,
      'name',
      [option('force'), ' does that'],
    );
  }
  if (entry.enabled === false) warnings.push(`'${name}' is disabled; registering it again enables it`);
  const steps = already
    ? []
    : kernelSteps(
        [
          {
            kind: 'change',
            name,
            from: entry,
            to: { ...entry, enabled: undefined },
            source: plainText([`reorder ${name} `, option('before', before)]),
            reason: 'order',
            adopt: !owned,
          },
        ],
        names,
      );
  return { mount: kernel.mount, stateDir, name, before, already, steps, warnings };
}

export function applyReorder(p: ReorderPlan): BatchOutcome {
  const inst = openInstance({ mount: p.mount, attach: false });
  const outcome = runBatch(inst.kernel, p.steps);
  if (outcome.ok && p.steps.length) {
    const store = new OwnershipStore(p.stateDir, inst.key);
    const { state } = store.load();
    const mine = state.entries.find((o) => o.name === p.name);
    if (mine) store.save([...state.entries.filter((o) => o !== mine), mine]);
  }
  return outcome;
}

/** Plans and (unless a dry run, or nothing to do) carries out a reorder, under the state lock. */
export function reorder(req: ReorderRequest): { plan: ReorderPlan; outcome: BatchOutcome | null } {
  return withStateLock(req.stateDir, instanceKey({ mount: req.mount }), () => {
    const plan = planReorder(req.mount, req.stateDir, req.name, req.before, req.force === true);
    const outcome = plan.already || req.dryRun ? null : applyReorder(plan);
    return { plan, outcome };
  });
}

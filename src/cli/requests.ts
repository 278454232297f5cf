/**
 * The typed options of src/cli/syntax turned into the requests src/ops
 * takes. Nothing below src/cli sees commander options.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { DEFAULT_MOUNT } from '../kernel/binfmt-misc.js';
import { openInstance, type OpenedInstance } from '../kernel/pid-instance.js';
import type { ApplyMode } from '../ops/apply.js';
import type { ReconcileRequest } from '../ops/reconcile.js';
import type { ReorderRequest } from '../ops/reorder.js';

/** The options of a command that acts on an instance (syntax/options.ts mountOption, pidOption, dryRunOption). */
export interface InstanceOptions {
  mount?: string;
  pid?: number;
  dryRun?: true;
}

export function mountOf(opts: InstanceOptions): string {
  return opts.mount ?? DEFAULT_MOUNT;
}

/** --pid PID, or null; a usage error together with --mount. */
export function pidOf(opts: InstanceOptions): number | null {
  if (opts.pid === undefined) return null;
  if (opts.mount !== undefined) throw new BinfmtError('EUSAGE', 'give either --mount or --pid, not both', '--pid');
  return opts.pid;
}

/**
 * The instance a command acts on: --mount DIR, or --pid PID's. `adds`: the
 * command registers, so PID's instance is mounted where it is missing
 * (never with --dry-run).
 */
export function instanceOf(opts: InstanceOptions, adds = false): OpenedInstance {
  return openInstance({ mount: mountOf(opts), pid: pidOf(opts), attach: adds && opts.dryRun !== true });
}

interface ReconcileOptions extends InstanceOptions {
  configRoot: string;
  stateDir: string;
  prune?: true;
  force?: true;
  atomic?: true;
}

/** plan and apply: --config-root, --mount, --pid, --state-dir, --prune, --force, --atomic, --dry-run. */
export function reconcileRequest(opts: ReconcileOptions): ReconcileRequest & ApplyMode {
  return {
    configRoot: opts.configRoot,
    mount: mountOf(opts),
    pid: pidOf(opts),
    stateDir: opts.stateDir,
    prune: opts.prune === true,
    force: opts.force === true,
    atomic: opts.atomic === true,
    dryRun: opts.dryRun === true,
  };
}

/** reorder NAME --before OTHER. */
export function reorderRequest(
  name: string,
  opts: { mount?: string; stateDir: string; before: string; force?: true; dryRun?: true },
): ReorderRequest {
  return {
    mount: mountOf(opts),
    stateDir: opts.stateDir,
    name,
    before: opts.before,
    force: opts.force === true,
    dryRun: opts.dryRun === true,
  };
}

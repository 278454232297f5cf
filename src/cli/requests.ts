/**
 * The typed options of src/cli/syntax turned into the requests src/ops
 * takes. Nothing below src/cli sees commander options.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { DEFAULT_MOUNT } from '../kernel/binfmt-misc.js';
import { openInstance, type OpenedInstance } from '../kernel/instance.js';
import { checkPid, kernelSupportsPid, PROCESS_FIELD } from '../kernel/pid-instance.js';
import type { ApplyMode } from '../ops/apply.js';
import type { ReconcileRequest } from '../ops/reconcile.js';
import type { ReorderRequest } from '../ops/reorder.js';

/** The options of a command that acts on an instance (syntax/options.ts mountOption, pidOption, dryRunOption). */
export interface InstanceOptions {
  mount?: string;
  pid?: number;
  dryRun?: true;
  /** emulate --podman: given with --pid, a usage error of its own, before any process check. */
  podman?: true;
}

export function mountOf(opts: InstanceOptions): string {
  return opts.mount ?? DEFAULT_MOUNT;
}

/**
 * --pid PID (a process id since commander parsed it), or null; a usage
 * error together with --mount. A process that cannot be acted on (gone, not
 * the caller's, in the machine's own user namespace) is refused here, naming
 * the option; on a kernel without an instance per user namespace the
 * command says what to do instead.
 */
export function pidOf(opts: InstanceOptions): number | null {
  const { pid } = opts;
  if (pid === undefined) return null;
  if (opts.mount !== undefined) throw new BinfmtError('EUSAGE', 'give either --mount or --pid, not both', '--pid');
  // With --podman too, emulate refuses the combination as a usage error first.
  if (kernelSupportsPid() && opts.podman !== true) {
    try {
      checkPid(pid);
    } catch (e) {
      throw asPidOption(e, pid);
    }
  }
  return pid;
}

/**
 * An error about process PID, worded about the option that named it
 * (`--pid PID: no such process`): the process its first part names
 * (pid-instance.ts processError) becomes the option.
 */
function asPidOption(e: unknown, pid: number): unknown {
  if (!(e instanceof BinfmtError) || e.field !== PROCESS_FIELD) return e;
  return new BinfmtError(e.code, [`--pid ${pid}`, ...e.words.slice(1)], '--pid', e.fix);
}

/**
 * The instance a command acts on: --mount DIR, or --pid PID's. `adds`: the
 * command registers, so PID's instance is mounted where it is missing
 * (never with --dry-run).
 */
export function instanceOf(opts: InstanceOptions, adds = false): OpenedInstance {
  const pid = pidOf(opts);
  try {
    return openInstance({ mount: mountOf(opts), pid, attach: adds && opts.dryRun !== true });
  } catch (e) {
    throw pid === null ? e : asPidOption(e, pid);
  }
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

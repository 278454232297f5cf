/**
 * Commander's options turned into the typed requests src/ops takes: the only
 * place that knows option names (--config-root, --state-dir, ...) and their
 * defaults. Nothing below src/cli sees commander options.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { DEFAULT_STATE_DIR } from '../config/ownership-state.js';
import { DEFAULT_MOUNT } from '../kernel/binfmt-misc.js';
import { openInstance, type OpenedInstance } from '../kernel/instance.js';
import { checkPid, kernelSupportsPid, PROCESS_FIELD, processSubject } from '../kernel/pid-instance.js';
import type { ApplyMode } from '../ops/apply.js';
import type { ReconcileRequest } from '../ops/reconcile.js';
import type { ReorderRequest } from '../ops/reorder.js';
import type { CommonOptions } from './output.js';
import { existingDir } from './option-dir.js';

type Options = CommonOptions & Record<string, unknown>;

export function mountOf(opts: Options): string {
  return typeof opts.mount === 'string' ? opts.mount : DEFAULT_MOUNT;
}

/**
 * --pid PID, or null; a usage error together with --mount or unless a
 * positive integer. A process that cannot be acted on (gone, not the
 * caller's, in the machine's own user namespace) is refused here, naming
 * the option; on a kernel without an instance per user namespace the
 * command says what to do instead.
 */
export function pidOf(opts: Options): number | null {
  if (opts.pid === undefined) return null;
  if (typeof opts.mount === 'string')
    throw new BinfmtError('EUSAGE', 'give either --mount or --pid, not both', '--pid');
  const s = String(opts.pid);
  if (!/^[1-9][0-9]*$/.test(s)) throw new BinfmtError('EUSAGE', `--pid ${s}: not a process id`, '--pid');
  const pid = Number(s);
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

/** An error about process PID, worded about the option that named it (`--pid PID: no such process`). */
function asPidOption(e: unknown, pid: number): unknown {
  const subject = `${processSubject(pid)}: `;
  if (!(e instanceof BinfmtError) || e.field !== PROCESS_FIELD || !e.message.startsWith(subject)) return e;
  return new BinfmtError(e.code, `--pid ${pid}: ${e.message.slice(subject.length)}`, '--pid');
}

/**
 * The instance a command acts on: --mount DIR, or --pid PID's. `adds`: the
 * command registers, so PID's instance is mounted where it is missing
 * (never with --dry-run).
 */
export function instanceOf(opts: Options, adds = false): OpenedInstance {
  const pid = pidOf(opts);
  try {
    return openInstance({ mount: mountOf(opts), pid, attach: adds && opts.dryRun !== true });
  } catch (e) {
    throw pid === null ? e : asPidOption(e, pid);
  }
}

export function stateDirOf(opts: Options): string {
  return typeof opts.stateDir === 'string' ? opts.stateDir : DEFAULT_STATE_DIR;
}

export function configRootOf(opts: Options): string {
  return typeof opts.configRoot === 'string' ? existingDir(opts.configRoot, '--config-root') : '/';
}

/** plan and apply: --config-root, --mount, --state-dir, --prune, --force, --atomic, --dry-run. */
export function reconcileRequest(opts: Options): ReconcileRequest & ApplyMode {
  return {
    configRoot: configRootOf(opts),
    mount: mountOf(opts),
    pid: pidOf(opts),
    stateDir: stateDirOf(opts),
    prune: opts.prune === true,
    force: opts.force === true,
    atomic: opts.atomic === true,
    dryRun: opts.dryRun === true,
  };
}

/** reorder NAME --before OTHER. */
export function reorderRequest(name: string, opts: Options): ReorderRequest {
  if (typeof opts.before !== 'string') throw new BinfmtError('EUSAGE', 'reorder needs --before OTHER', 'before');
  return {
    mount: mountOf(opts),
    stateDir: stateDirOf(opts),
    name,
    before: opts.before,
    force: opts.force === true,
    dryRun: opts.dryRun === true,
  };
}

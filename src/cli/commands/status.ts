import { BinfmtError } from '../../core/binfmt-error.js';
import { instanceOf } from '../requests.js';
import type { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type { status as syntax } from '../syntax/status.js';

/** `binfmt status [on|off]`: show or set the instance-wide switch. */
export const run: Runner<typeof syntax> = async (args, opts) => {
  const [want] = args;
  // The argument first: a mistyped state is the thing to say, whatever the mount.
  if (want !== undefined && want !== 'on' && want !== 'off')
    throw new BinfmtError('EUSAGE', `status: expected 'on' or 'off', got '${want}'`, 'state');
  const inst = instanceOf(opts);
  try {
    return status(inst.kernel, want, opts.dryRun === true);
  } finally {
    inst.close();
  }
};

function status(kernel: BinfmtMisc, want: string | undefined, dryRun: boolean): CommandResult {
  const where = kernel.label === kernel.mount ? `binfmt_misc at ${kernel.mount}` : kernel.label;
  const before = kernel.status();
  if (want === undefined) {
    const n = kernel.names().length;
    return result(
      { mount: kernel.label, enabled: before, entries: n },
      `${where}: ${before ? 'enabled' : 'disabled'}, ${n} entr${n === 1 ? 'y' : 'ies'}`,
    );
  }
  const on = want === 'on';
  if (!dryRun && before !== on) kernel.setStatus(on);
  const verb = dryRun ? 'would turn' : 'turned';
  const text = before === on ? `${where} is already ${want}` : `${verb} ${where} ${want}`;
  return result(
    { mount: kernel.label, enabled: dryRun ? before : on, changed: before !== on && !dryRun, dryRun },
    text,
  );
}

import { BinfmtError } from '../../core/binfmt-error.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { result, type Runner } from '../output.js';

/** `binfmt status [on|off]`: show or set the instance-wide switch. */
export const run: Runner = async (args, opts) => {
  const want = args[0] as string | undefined;
  const kernel = new BinfmtMisc(opts.mount);
  const before = kernel.status();
  if (want === undefined) {
    const n = kernel.names().length;
    return result({ mount: kernel.mount, enabled: before, entries: n }, `binfmt_misc at ${kernel.mount}: ${before ? 'enabled' : 'disabled'}, ${n} entr${n === 1 ? 'y' : 'ies'}`);
  }
  if (want !== 'on' && want !== 'off') throw new BinfmtError('EUSAGE', `status: expected 'on' or 'off', got '${want}'`, 'state');
  const on = want === 'on';
  if (!opts.dryRun && before !== on) kernel.setStatus(on);
  const verb = opts.dryRun ? 'would turn' : 'turned';
  const text = before === on ? `binfmt_misc at ${kernel.mount} is already ${want}` : `${verb} binfmt_misc at ${kernel.mount} ${want}`;
  return result({ mount: kernel.mount, enabled: opts.dryRun ? before : on, changed: before !== on && !opts.dryRun, dryRun: opts.dryRun === true }, text);
};

/** `binfmt enable|disable|remove NAME...`: write 1, 0 or -1 to each entry; `remove --owned`: see src/ops/remove-owned.ts. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { removeOwned } from '../../ops/remove-owned.js';
import { instanceOf, mountOf, pidOf, type InstanceOptions } from '../requests.js';
import type * as syntax from '../syntax/entry-state.js';
import type { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { result, type CommandResult, type Runner } from '../output.js';

type Action = 'enable' | 'disable' | 'remove';
const PAST: Record<Action, string> = { enable: 'enabled', disable: 'disabled', remove: 'removed' };

function write(action: Action, names: string[], opts: InstanceOptions): CommandResult {
  if (names.length === 0)
    throw new BinfmtError(
      'EUSAGE',
      `${action} needs entry names${action === 'remove' ? ' (or --owned)' : ''}`,
      'names',
    );
  const inst = instanceOf(opts);
  try {
    return change(inst.kernel, action, names, opts.dryRun === true);
  } finally {
    inst.close();
  }
}

function change(kernel: BinfmtMisc, action: Action, names: string[], dryRun: boolean): CommandResult {
  kernel.ensureMounted();
  // Check every name first: nothing changes unless all of them exist.
  const missing = names.filter((n) => !kernel.has(n));
  if (missing.length)
    throw new BinfmtError(
      'ENOENT',
      `no binfmt_misc entr${missing.length === 1 ? 'y' : 'ies'} ${missing.map((n) => `'${n}'`).join(', ')} in ${kernel.label}; nothing changed`,
      'name',
    );
  const done: string[] = [];
  for (const n of names) {
    if (!dryRun) kernel[action](n);
    done.push(n);
  }
  const verb = dryRun ? `would be ${PAST[action]}` : PAST[action];
  return result({ action, names: done, dryRun }, done.map((n) => `${n}: ${verb}`).join('\n'));
}

function owned(names: string[], opts: InstanceOptions & { stateDir: string }): CommandResult {
  if (names.length > 0) throw new BinfmtError('EUSAGE', 'give either entry names or --owned, not both', '--owned');
  const dryRun = opts.dryRun === true;
  const r = removeOwned({ mount: mountOf(opts), pid: pidOf(opts), stateDir: opts.stateDir, dryRun });
  const verb = dryRun ? 'would be removed' : 'removed';
  const text = [
    ...r.removed.map((e) => `${e.name}: ${verb}  (registered by binfmt: ${e.source})`),
    ...r.leftAlone.map((e) => `${e.name}: left alone: ${e.reason}`),
  ];
  if (text.length === 0) text.push(`nothing binfmt registered in ${r.label}`);
  const json = { action: 'remove', owned: true, names: r.removed.map((e) => e.name), leftAlone: r.leftAlone, dryRun };
  return result(json, text.join('\n'), 0, r.warning ? [r.warning] : []);
}

export const enable: Runner<typeof syntax.enable> = async ([names], opts) => write('enable', names, opts);
export const disable: Runner<typeof syntax.disable> = async ([names], opts) => write('disable', names, opts);
export const remove: Runner<typeof syntax.remove> = async ([names], opts) =>
  opts.owned ? owned(names, opts) : write('remove', names, opts);

/** `binfmt enable|disable|remove NAME...`: write 1, 0 or -1 to each entry. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { instanceOf } from '../requests.js';
import type { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { result, type CommandResult, type Runner } from '../output.js';

type Action = 'enable' | 'disable' | 'remove';
const PAST: Record<Action, string> = { enable: 'enabled', disable: 'disabled', remove: 'removed' };

function runner(action: Action): Runner {
  return async (args, opts) => {
    const names = args[0] as string[];
    const inst = instanceOf(opts);
    try {
      return change(inst.kernel, action, names, opts.dryRun === true);
    } finally {
      inst.close();
    }
  };
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

export const enable = runner('enable');
export const disable = runner('disable');
export const remove = runner('remove');

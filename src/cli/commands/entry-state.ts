/** `binfmt enable|disable|remove NAME...`: write 1, 0 or -1 to each entry. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { result, type Runner } from '../output.js';

type Action = 'enable' | 'disable' | 'remove';
const PAST: Record<Action, string> = { enable: 'enabled', disable: 'disabled', remove: 'removed' };

function runner(action: Action): Runner {
  return async (args, opts) => {
    const names = args[0] as string[];
    const kernel = new BinfmtMisc(opts.mount);
    kernel.ensureMounted();
    // Check every name first: nothing changes unless all of them exist.
    const missing = names.filter((n) => !kernel.has(n));
    if (missing.length) throw new BinfmtError('ENOENT', `no binfmt_misc entr${missing.length === 1 ? 'y' : 'ies'} ${missing.map((n) => `'${n}'`).join(', ')} in ${kernel.mount}; nothing changed`, 'name');
    const done: string[] = [];
    for (const n of names) {
      if (!opts.dryRun) kernel[action](n);
      done.push(n);
    }
    const verb = opts.dryRun ? `would be ${PAST[action]}` : PAST[action];
    return result({ action, names: done, dryRun: opts.dryRun === true }, done.map((n) => `${n}: ${verb}`).join('\n'));
  };
}

export const enable = runner('enable');
export const disable = runner('disable');
export const remove = runner('remove');

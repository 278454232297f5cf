/** `binfmt reorder NAME --before OTHER`. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { applyReorder, planReorder } from '../../config/reorder.js';
import { withStateLock } from '../../config/state-lock.js';
import { DEFAULT_STATE_DIR } from '../../config/ownership-state.js';
import { DEFAULT_MOUNT } from '../../kernel/sandbox.js';
import { stepLine } from '../plan-text.js';
import { result } from '../output.js';
import type { Runner } from '../commands.js';

export const run: Runner = async (args, opts) => {
  const name = args[0] as string;
  if (typeof opts.before !== 'string') throw new BinfmtError('EUSAGE', 'reorder needs --before OTHER', 'before');
  const before = opts.before;
  const mount = opts.mount ?? DEFAULT_MOUNT;
  const stateDir = String(opts.stateDir ?? DEFAULT_STATE_DIR);
  return withStateLock(stateDir, mount, () => {
    const p = planReorder(mount, stateDir, name, before, opts.force === true);
    const base = { name, before, already: p.already, steps: p.steps.map(stepLine) };
    if (p.already) return result({ ...base, applied: true }, `'${name}' already matches before '${before}'`, 0, p.warnings);
    if (opts.dryRun) return result({ ...base, applied: false, dryRun: true }, [...p.steps.map(stepLine), '(dry run: nothing changed)'].join('\n'), 0, p.warnings);
    const outcome = applyReorder(p);
    if (!outcome.ok) return result({ ...base, applied: false, failure: outcome.failure }, `failed: ${outcome.failure!.message}; rolled back`, 1, p.warnings);
    return result({ ...base, applied: true }, `'${name}' now matches before '${before}' (registered again, make-before-break)`, 0, p.warnings);
  });
};

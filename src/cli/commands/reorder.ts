/** `binfmt reorder NAME --before OTHER`. */
import { reorder } from '../../ops/reorder.js';
import { batchFailureText, batchJson, stepLine } from '../render/batch.js';
import { reorderRequest } from '../requests.js';
import { result, type Runner } from '../output.js';
import type { reorder as syntax } from '../syntax/reconcile.js';

export const run: Runner<typeof syntax> = async (args, opts) => {
  const req = reorderRequest(args[0], opts);
  const { name, before } = req;
  const { plan: p, outcome } = reorder(req);
  const base = { name, before, already: p.already, steps: p.steps.map(stepLine) };
  if (p.already)
    return result({ ...base, applied: true }, `'${name}' already matches before '${before}'`, 0, p.warnings);
  if (!outcome)
    return result(
      { ...base, applied: false, dryRun: true },
      [...p.steps.map(stepLine), '(dry run: nothing changed)'].join('\n'),
      0,
      p.warnings,
    );
  const data = { ...base, ...batchJson(outcome) };
  if (!outcome.ok) return result(data, batchFailureText(outcome).join('\n'), 1, p.warnings);
  return result(data, `'${name}' now matches before '${before}' (registered again, make-before-break)`, 0, p.warnings);
};

import { applyConfiguration } from '../../ops/apply.js';
import { appliedResult } from '../render/applied.js';
import { problemWarnings } from '../render/plan.js';
import { reconcileRequest } from '../requests.js';
import type { Runner } from '../output.js';
import type { apply } from '../syntax/reconcile.js';

export const run: Runner<typeof apply> = async (_args, opts) => {
  const applied = applyConfiguration(reconcileRequest(opts));
  return appliedResult(applied, {}, problemWarnings(applied.reconciliation));
};

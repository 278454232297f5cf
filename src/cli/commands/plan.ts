import { reconcile } from '../../ops/reconcile.js';
import { hasErrors, planJson, planText, problemWarnings } from '../render/plan.js';
import { reconcileRequest } from '../requests.js';
import { result, type Runner } from '../output.js';
import type { plan } from '../syntax/reconcile.js';

export const run: Runner<typeof plan> = async (_args, opts) => {
  const r = reconcile(reconcileRequest(opts));
  return result(planJson(r), planText(r), hasErrors(r) ? 1 : 0, problemWarnings(r));
};

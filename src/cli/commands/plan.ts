import { reconcile, reconcileOptions } from '../../config/reconcile.js';
import { DEFAULT_STATE_DIR } from '../../config/ownership-state.js';
import { DEFAULT_MOUNT } from '../../kernel/sandbox.js';
import { hasErrors, planJson, planText, problemWarnings } from '../plan-text.js';
import { result } from '../output.js';
import type { Runner } from '../commands.js';

export const run: Runner = async (_args, opts) => {
  const r = reconcile(reconcileOptions(opts, { mount: DEFAULT_MOUNT, stateDir: DEFAULT_STATE_DIR }));
  return result(planJson(r), planText(r), hasErrors(r) ? 1 : 0, problemWarnings(r));
};

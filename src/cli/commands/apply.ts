import { applyConfiguration } from '../../ops/reconcile.js';
import { hasErrors, planJson, planText, problemWarnings, stepLine } from '../plan-text.js';
import { reconcileRequest } from '../requests.js';
import { result, type Runner } from '../output.js';

export const run: Runner = async (_args, opts) => {
  const { reconciliation: r, outcome } = applyConfiguration(reconcileRequest(opts));
  const warnings = problemWarnings(r);
  const planned = planJson(r);
  if (!outcome) {
    return result({ ...planned, applied: false, dryRun: true }, `${planText(r)}\n(dry run: nothing changed)`, hasErrors(r) ? 1 : 0, warnings);
  }
  const data = {
    ...planned,
    applied: outcome.ok,
    failure: outcome.failure && { step: stepLine(outcome.failure.step), code: outcome.failure.code, message: outcome.failure.message },
    rolledBack: outcome.undone.map(stepLine),
    rollbackFailures: outcome.undoFailures.map((f) => ({ step: stepLine(f.step), code: f.code, message: f.message })),
  };
  if (!outcome.ok) {
    const f = outcome.failure!;
    const lines = [`failed: ${stepLine(f.step)}: ${f.message}`, `rolled back ${outcome.undone.length} step(s); the instance is as before`];
    if (outcome.undoFailures.length) lines[1] = `rollback incomplete: ${outcome.undoFailures.map((u) => `${stepLine(u.step)}: ${u.message}`).join('; ')}`;
    return result(data, lines.join('\n'), 1, warnings);
  }
  const summary = `applied: ${r.plan.add.length} added, ${r.plan.change.length} changed, ${r.plan.remove.length} removed, ${r.plan.unchanged.length} unchanged (${r.steps.length} kernel operations)`;
  return result(data, `${planText(r)}\n${summary}`, hasErrors(r) ? 1 : 0, warnings);
};

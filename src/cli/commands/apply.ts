import { applyConfiguration } from '../../ops/reconcile.js';
import { appliedSummary, hasErrors, planJson, planText, problemWarnings, rolledBackLine, stepLine } from '../plan-text.js';
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
    const lines = [`failed: ${stepLine(f.step)}: ${f.message}`, rolledBackLine(outcome.undone.length)];
    if (outcome.undoFailures.length) lines[1] = `rollback incomplete: ${outcome.undoFailures.map((u) => `${stepLine(u.step)}: ${u.message}`).join('; ')}`;
    return result(data, lines.join('\n'), 1, warnings);
  }
  return result(data, `${planText(r)}\n${appliedSummary(r)}`, hasErrors(r) ? 1 : 0, warnings);
};

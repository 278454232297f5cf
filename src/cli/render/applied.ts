/**
 * How apply and import show what they did: the plan (render/plan.ts), then
 * the outcome of carrying it out (render/batch.ts), as text and as JSON from
 * the same Applied value.
 */
import type { Applied } from '../../ops/apply.js';
import { count } from '../count.js';
import { result, type CommandResult } from '../output.js';
import { batchFailureText, batchJson, refusalLines } from './batch.js';
import { hasErrors, planJson, planText } from './plan.js';

/** `extra` is merged into the JSON; `warnings` go to standard error before the refusals. */
export function appliedResult(a: Applied, extra: Record<string, unknown>, warnings: string[]): CommandResult {
  const r = a.reconciliation;
  const data = { ...extra, ...planJson(r), mode: a.atomic ? 'atomic' : 'each' };
  if (!a.outcome)
    return result(
      { ...data, applied: false, dryRun: true },
      `${planText(r)}\n(dry run: nothing changed)`,
      hasErrors(r) ? 1 : 0,
      warnings,
    );
  const o = a.outcome;
  const json = { ...data, ...batchJson(o) };
  if (a.atomic && !o.ok) return result(json, batchFailureText(o).join('\n'), 1, warnings);
  const refused = new Set(o.failures.map((f) => f.entry?.name));
  const n = (names: string[]): number => names.filter((x) => !refused.has(x)).length;
  const counts = [
    `${n(r.plan.add)} added`,
    `${n(r.plan.change)} changed`,
    `${n(r.plan.remove)} removed`,
    `${r.plan.unchanged.length} unchanged`,
    ...(refused.size ? [`${refused.size} refused by the kernel`] : []),
  ];
  const summary = `applied: ${counts.join(', ')} (${count(o.done.length, 'kernel operation')})`;
  const failed = refused.size > 0 || r.problems.some((p) => p.severity === 'error');
  return result(json, `${planText(r)}\n${summary}`, failed ? 1 : 0, [...warnings, ...refusalLines(o)]);
}

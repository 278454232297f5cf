/**
 * How plan and apply show a reconciliation: the JSON shape (docs/binfmt-plan.1.md)
 * and the text for humans.
 */
import type { Entry } from '../core/entry.js';
import type { ConfigProblem } from '../core/config-entries.js';
import type { KernelStep } from '../core/kernel-steps.js';
import { describeDifference } from '../core/entry-diff.js';
import { changeDetails, type Reconciliation } from '../ops/reconcile.js';
import { count } from './count.js';

export function problemLine(p: ConfigProblem): string {
  return `${p.where}: ${p.severity}: ${p.message}`;
}

export function stepLine(s: KernelStep<Entry>): string {
  return `${s.op} ${s.name}: ${s.why}`;
}

export function planJson(r: Reconciliation): Record<string, unknown> {
  const p = r.plan;
  return {
    add: p.add,
    remove: p.remove,
    change: p.change,
    unchanged: p.unchanged,
    conflict: p.conflict,
    stale: p.stale,
    changes: changeDetails(p).map((c) => ({ ...c, fields: c.fields.map((f) => ({ field: f.field, kernel: f.a, config: f.b })) })),
    files: r.files,
    problems: r.problems,
    steps: r.steps.map((s) => ({ op: s.op, name: s.name, why: s.why })),
  };
}

export function planText(r: Reconciliation): string {
  const out: string[] = [];
  const details = new Map(changeDetails(r.plan).map((c) => [c.name, c]));
  for (const a of r.plan.actions) {
    if (a.kind === 'add') out.push(`add        ${a.name}  (${a.source})`);
    else if (a.kind === 'remove') out.push(`remove     ${a.name}  (owned by binfmt, no longer configured)`);
    else if (a.kind === 'unchanged') out.push(`unchanged  ${a.name}${a.adopt ? '  (adopted: same definition, registered by someone else)' : ''}`);
    else if (a.kind === 'conflict') out.push(`conflict   ${a.name}  (${a.source}): registered by someone else differently; left alone`);
    else {
      out.push(`change     ${a.name}  (${a.source})${a.reason === 'order' ? ': moved to its configured match order' : ''}`);
      const fields = details.get(a.name)?.fields ?? [];
      for (const f of fields) out.push(`    ${describeDifference(f, 'kernel has', 'config has')}`);
      if (a.reason === 'definition' && fields.length === 0 && a.from.enabled === false) out.push('    disabled in the kernel: apply registers it again, enabled');
    }
  }
  for (const n of r.plan.stale) out.push(`stale      ${n}  (owned by binfmt, no longer configured; --prune removes it)`);
  if (out.length === 0) out.push('nothing configured and nothing owned');
  return out.join('\n');
}

export function problemWarnings(r: Reconciliation): string[] {
  return [...r.warnings, ...r.problems.map(problemLine)];
}

export function hasErrors(r: Reconciliation): boolean {
  return r.problems.some((p) => p.severity === 'error');
}

/** The last line of apply, and of import when it registers: what the batch did. */
export function appliedSummary(r: Reconciliation): string {
  const p = r.plan;
  return `applied: ${p.add.length} added, ${p.change.length} changed, ${p.remove.length} removed, ${p.unchanged.length} unchanged (${count(r.steps.length, 'kernel operation')})`;
}

/** After a refused step: how much was undone. */
export function rolledBackLine(undone: number): string {
  return `rolled back ${count(undone, 'step')}; the instance is as before`;
}

/**
 * How plan and apply show a reconciliation: the JSON shape (docs/binfmt-plan.1.md)
 * and the text for humans.
 */
import { describeDifference } from '../../core/entry-diff.js';
import { changeDetails, type Reconciliation } from '../../ops/reconcile.js';
import { problemLine } from './problem.js';

export function planJson(r: Reconciliation): Record<string, unknown> {
  const p = r.plan;
  return {
    add: p.add,
    remove: p.remove,
    change: p.change,
    unchanged: p.unchanged,
    conflict: p.conflict,
    stale: p.stale,
    changes: changeDetails(p).map((c) => ({
      ...c,
      fields: c.fields.map((f) => ({ field: f.field, kernel: f.a, config: f.b })),
    })),
    files: r.files,
    problems: r.problems,
    refused: r.refusals,
    steps: r.steps.map((s) => ({ op: s.op, name: s.name, why: s.why })),
  };
}

export function planText(r: Reconciliation): string {
  const out: string[] = [];
  const details = new Map(changeDetails(r.plan).map((c) => [c.name, c]));
  const refused = new Map(r.refusals.map((x) => [x.name, x]));
  for (const a of r.plan.actions) {
    if (a.kind === 'add') out.push(`add        ${a.name}  (${a.source})`);
    else if (a.kind === 'remove') out.push(`remove     ${a.name}  (owned by binfmt, no longer configured)`);
    else if (a.kind === 'unchanged')
      out.push(`unchanged  ${a.name}${a.adopt ? '  (adopted: same definition, registered by someone else)' : ''}`);
    else if (a.kind === 'conflict')
      out.push(`conflict   ${a.name}  (${a.source}): registered by someone else differently; left alone`);
    else {
      out.push(
        `change     ${a.name}  (${a.source})${a.reason === 'order' ? ': moved to its configured match order' : ''}`,
      );
      const fields = details.get(a.name)?.fields ?? [];
      for (const f of fields) out.push(`    ${describeDifference(f, 'kernel has', 'config has')}`);
      if (a.reason === 'definition' && fields.length === 0 && a.from.enabled === false)
        out.push('    disabled in the kernel: apply registers it again, enabled');
    }
    const x = refused.get(a.name);
    if (x && (a.kind === 'add' || a.kind === 'change')) {
      out.push(`    will be refused by the kernel (${x.errno}): ${x.message}; apply skips it`);
    }
  }
  for (const n of r.plan.stale)
    out.push(`stale      ${n}  (owned by binfmt, no longer configured; --prune removes it)`);
  if (out.length === 0) out.push('nothing configured and nothing owned');
  return out.join('\n');
}

export function problemWarnings(r: Reconciliation): string[] {
  return [...r.warnings, ...r.problems.map(problemLine)];
}

/** Invalid or conflicting lines, or entries the kernel will refuse: plan and apply exit 1. */
export function hasErrors(r: Reconciliation): boolean {
  return r.problems.some((p) => p.severity === 'error') || r.refusals.length > 0;
}

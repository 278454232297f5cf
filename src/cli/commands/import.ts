/** `binfmt import --from binfmt-support|systemd|proc [PATH] [--out DIR]`. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { importBinfmtSupport, importProc, importSystemd, writeBinfmtd, type Imported } from '../../ops/interop.js';
import { applyDesired } from '../../ops/reconcile.js';
import { appliedSummary, hasErrors, planJson, planText, problemLine, rolledBackLine, stepLine } from '../plan-text.js';
import { mountOf, stateDirOf } from '../requests.js';
import { result, type Runner } from '../output.js';

function read(from: string, path: string | undefined, mount: string): Imported {
  if (from === 'proc') return importProc(path ?? mount);
  if (!path) throw new BinfmtError('EUSAGE', `import --from ${from} needs a PATH (a file or a directory)`, 'path');
  return from === 'systemd' ? importSystemd(path) : importBinfmtSupport(path);
}

export const run: Runner = async (args, opts) => {
  const from = String(opts.from);
  const mount = mountOf(opts);
  const got = read(from, args[0] as string | undefined, mount);
  const lost = got.entries.flatMap((e) => e.lost.map((l) => `${e.source}: '${e.entry.name}': not kept: ${l}`));
  const problems = got.problems.map(problemLine);
  const failed = got.problems.some((p) => p.severity === 'error');

  if (typeof opts.out === 'string') {
    const w = writeBinfmtd(opts.out, got.entries, opts.dryRun === true);
    const text = w.written.map((x) => `${opts.dryRun ? 'would write' : 'wrote'} ${x.path}`).join('\n') || 'nothing to import';
    const bad = failed || w.problems.length > 0;
    return result({ from, written: w.written, problems: [...got.problems, ...w.problems], dryRun: opts.dryRun === true }, text, bad ? 1 : 0, [...problems, ...w.problems.map(problemLine), ...lost]);
  }

  // No --out: register them now, as entries binfmt owns (make-before-break, all or nothing).
  const desired = got.entries.map((e) => ({ name: e.entry.name, def: { ...e.entry, enabled: undefined }, source: e.source }));
  const { reconciliation: r, outcome } = applyDesired(desired, got.problems, { mount, stateDir: stateDirOf(opts), force: opts.force === true, dryRun: opts.dryRun === true });
  const warnings = [...problems, ...r.warnings, ...r.problems.filter((p) => !got.problems.includes(p)).map(problemLine), ...lost];
  if (!outcome) return result({ from, ...planJson(r), applied: false, dryRun: true }, `${planText(r)}\n(dry run: nothing changed)`, hasErrors(r) ? 1 : 0, warnings);
  const data = { from, ...planJson(r), applied: outcome.ok, failure: outcome.failure && { step: stepLine(outcome.failure.step), message: outcome.failure.message } };
  if (!outcome.ok) return result(data, `failed: ${stepLine(outcome.failure!.step)}: ${outcome.failure!.message}\n${rolledBackLine(outcome.undone.length)}`, 1, warnings);
  return result(data, `${planText(r)}\n${appliedSummary(r)}`, hasErrors(r) ? 1 : 0, warnings);
};

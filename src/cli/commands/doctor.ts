/** `binfmt doctor`: what is wrong, and how to fix it. Exit 1 when something is broken. */
import { doctor } from '../../ops/doctor.js';
import { mountOf, pidOf } from '../requests.js';
import type { doctor as syntax } from '../syntax/doctor.js';
import { result, type Runner } from '../output.js';
import { renderFix } from '../fix-command.js';
import { count } from '../count.js';
import { problemText } from '../render/problem.js';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export const run: Runner<typeof syntax> = async (_args, opts, given) => {
  const ctx = { mount: mountOf(opts), pid: pidOf(opts), configRoot: opts.configRoot, stateDir: opts.stateDir };
  const report = doctor({ ...ctx, noProbe: !opts.probe });
  // The fixes in words, each command with the options doctor was given that it takes (text and JSON alike).
  const findings = report.findings.map((f) => ({ ...f, fix: f.fix ? renderFix(f.fix, given) : null }));
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const broken = sorted.some((f) => f.severity === 'error');
  const text = sorted.map((f) => `${f.severity}: ${f.subject}: ${problemText(f)}${f.fix ? `\n    fix: ${f.fix}` : ''}`);
  const counts = (['error', 'warning', 'info'] as const)
    .map((s) => count(sorted.filter((f) => f.severity === s).length, s, s === 'info' ? s : `${s}s`))
    .join(', ');
  text.push(`${count(report.entries, 'entry', 'entries')} checked: ${counts}`);
  return result({ ok: !broken, entries: report.entries, findings: sorted }, text.join('\n'), broken ? 1 : 0);
};

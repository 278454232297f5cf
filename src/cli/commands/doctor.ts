/** `binfmt doctor`: what is wrong, and how to fix it. Exit 1 when something is broken. */
import { doctor } from '../../ops/doctor.js';
import { configRootOf, mountOf, stateDirOf } from '../requests.js';
import { result, type Runner } from '../output.js';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export const run: Runner = async (_args, opts) => {
  const report = doctor({
    mount: mountOf(opts),
    configRoot: configRootOf(opts),
    stateDir: stateDirOf(opts),
    noProbe: opts.probe === false,
  });
  const sorted = [...report.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const broken = sorted.some((f) => f.severity === 'error');
  const text = sorted.map((f) => `${f.severity}: ${f.subject}: ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`);
  const counts = (['error', 'warning', 'info'] as const).map((s) => `${sorted.filter((f) => f.severity === s).length} ${s}${s === 'info' ? '' : 's'}`).join(', ');
  text.push(`${report.entries} entries checked: ${counts}`);
  return result({ ok: !broken, entries: report.entries, findings: sorted }, text.join('\n'), broken ? 1 : 0);
};

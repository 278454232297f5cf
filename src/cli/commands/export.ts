/** `binfmt export --format systemd|binfmt-support|json [--out DIR]`: the live entries, oldest first. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { formatRegister } from '../../core/register-format.js';
import { formatBinfmtSupport } from '../../core/binfmt-support-format.js';
import { importProc, systemdText, writeBinfmtSupport, writeBinfmtd } from '../../ops/interop.js';
import { entryJson } from '../entry-json.js';
import { problemLine } from '../render/problem.js';
import { result, type Runner } from '../output.js';
import { mountOf } from '../requests.js';
import type { exportEntries } from '../syntax/interop.js';

export const run: Runner<typeof exportEntries> = async (_args, opts) => {
  const { format } = opts;
  const live = importProc(mountOf(opts)).entries;
  const entries = live.map((l) => l.entry);
  const out = opts.out ?? null;
  const dry = opts.dryRun === true;

  if (format === 'json') {
    const data = entries.map((e) => ({ ...entryJson(e), register: formatRegister({ ...e, enabled: undefined }) }));
    return result(data, JSON.stringify(data, null, 2));
  }
  if (format === 'systemd') {
    if (out) {
      const w = writeBinfmtd(out, live, dry);
      const warnings = [
        ...w.problems.map(problemLine),
        ...w.written.flatMap((x) => x.lost.map((l) => `${x.path}: not kept: ${l}`)),
      ];
      return result(
        { format, written: w.written, dryRun: dry },
        w.written.map((x) => `${dry ? 'would write' : 'wrote'} ${x.path}`).join('\n'),
        w.problems.length ? 1 : 0,
        warnings,
      );
    }
    const { text, lost } = systemdText(entries);
    return result(
      { format, text, lost },
      text,
      0,
      lost.map((l) => `'${l.name}': not kept: ${l.reason}`),
    );
  }
  if (format === 'binfmt-support') {
    if (!out) {
      const files = entries.map((e) => ({ name: e.name, ...formatBinfmtSupport(e) }));
      const text = files.map((f) => `# ${f.name}\n${f.text}`).join('\n');
      return result(
        { format, files },
        text,
        0,
        files.flatMap((f) => f.lost.map((l) => `'${f.name}': not kept: ${l}`)),
      );
    }
    const w = writeBinfmtSupport(out, entries, dry);
    return result(
      { format, written: w, dryRun: dry },
      w.map((x) => `${dry ? 'would write' : 'wrote'} ${x.path}`).join('\n'),
      0,
      w.flatMap((x) => x.lost.map((l) => `${x.path}: not kept: ${l}`)),
    );
  }
  throw new BinfmtError('EUSAGE', `unknown --format ${format} (systemd, binfmt-support or json)`, 'format');
};

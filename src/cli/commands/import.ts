/** `binfmt import --from binfmt-support|systemd|proc [PATH] [--out DIR]`. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { importBinfmtSupport, importProc, importSystemd, writeBinfmtd, type Imported } from '../../ops/interop.js';
import { applyDesired } from '../../ops/apply.js';
import { appliedResult } from '../render/applied.js';
import { problemLine } from '../render/problem.js';
import { mountOf } from '../requests.js';
import type { importEntries } from '../syntax/interop.js';
import { result, type Runner } from '../output.js';

function read(from: string, path: string | undefined, mount: string): Imported {
  if (from === 'proc') return importProc(path ?? mount);
  if (!path) throw new BinfmtError('EUSAGE', `import --from ${from} needs a PATH (a file or a directory)`, 'path');
  return from === 'systemd' ? importSystemd(path) : importBinfmtSupport(path);
}

export const run: Runner<typeof importEntries> = async (args, opts) => {
  const { from } = opts;
  const mount = mountOf(opts);
  const got = read(from, args[0], mount);
  const lost = got.entries.flatMap((e) => e.lost.map((l) => `${e.source}: '${e.entry.name}': not kept: ${l}`));
  const problems = got.problems.map(problemLine);
  const failed = got.problems.some((p) => p.severity === 'error');

  if (opts.out !== undefined) {
    const w = writeBinfmtd(opts.out, got.entries, opts.dryRun === true);
    const text =
      w.written.map((x) => `${opts.dryRun ? 'would write' : 'wrote'} ${x.path}`).join('\n') || 'nothing to import';
    const bad = failed || w.problems.length > 0;
    return result(
      { from, written: w.written, problems: [...got.problems, ...w.problems], dryRun: opts.dryRun === true },
      text,
      bad ? 1 : 0,
      [...problems, ...w.problems.map(problemLine), ...lost],
    );
  }

  // No --out: register them now, as entries binfmt owns, the way apply does (make-before-break).
  const desired = got.entries.map((e) => ({
    name: e.entry.name,
    def: { ...e.entry, enabled: undefined },
    source: e.source,
  }));
  const req = {
    mount,
    stateDir: opts.stateDir,
    force: opts.force === true,
    atomic: opts.atomic === true,
    dryRun: opts.dryRun === true,
  };
  const applied = applyDesired(desired, got.problems, req);
  const r = applied.reconciliation;
  return appliedResult(applied, { from }, [
    ...problems,
    ...r.warnings,
    ...r.problems.filter((p) => !got.problems.includes(p)).map(problemLine),
    ...lost,
  ]);
};

/**
 * `binfmt oci-hook install | uninstall | run`: wiring and rendering only; the
 * work is in ops/oci-hook.ts.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { hookLine, installHook, runHook, uninstallHook } from '../../ops/oci-hook.js';
import { emulateLine, runEmulateHook } from '../../ops/oci-emulate.js';
import { result, type Runner } from '../output.js';
import type * as syntax from '../syntax/oci-hook.js';

const DESCRIBE: Record<string, string> = {
  'binfmt-host-runtime-annotation.json': 'containers with the annotation run.binfmt.host-runtime=true',
  'binfmt-host-runtime-toolbox.json': 'Toolbx containers: toolbox … init-container',
  'binfmt-emulate.json': 'every container: qemu for a foreign entry point',
};

export const runInstall: Runner<typeof syntax.install> = async (_args, opts) => {
  const dryRun = opts.dryRun === true;
  const out = installHook({
    hooksDir: opts.hooksDir,
    loaderDir: opts.loaderDir,
    log: opts.log,
    emulatorDirs: opts.emulatorDir,
    node: process.execPath,
    cli: process.argv[1]!,
    dryRun,
  });
  const verb = dryRun ? 'would write' : 'wrote';
  const lines = [
    `${dryRun ? 'would install' : 'installed'} the host-runtime loader ${out.loader}`,
    ...out.files.map((f) => `${verb} ${f.path} (${DESCRIBE[f.path.slice(f.path.lastIndexOf('/') + 1)] ?? 'hook'})`),
  ];
  const files = out.files.map((f) => ({ path: f.path, hook: JSON.parse(f.json) as unknown }));
  return result({ dryRun, loader: out.loader, files }, lines.join('\n'));
};

export const runUninstall: Runner<typeof syntax.uninstall> = async (_args, opts) => {
  const dryRun = opts.dryRun === true;
  const removed = uninstallHook(opts.hooksDir, dryRun);
  const verb = dryRun ? 'would remove' : 'removed';
  const text = removed.length ? removed.map((p) => `${verb} ${p}`).join('\n') : 'no binfmt hook files there';
  return result({ dryRun, removed }, text);
};

/** One decision line to standard error (where runtimes put a failing hook's output) and to --log. */
function report(line: string, log: string | undefined, dryRun: boolean): void {
  if (log && !dryRun) {
    try {
      appendFileSync(log, `binfmt: ${line}\n`);
    } catch {
      /* the line still goes to standard error */
    }
  }
}

/** The hook run: the container state on standard input, as the OCI runtime gives it. */
export const runRun: Runner<typeof syntax.run> = async (_args, opts) => {
  const dryRun = opts.dryRun === true;
  const outcome = runHook(readFileSync(0, 'utf8'), { loaderDir: opts.loaderDir, dryRun });
  const line = hookLine(outcome);
  report(line, opts.log, dryRun);
  const { exitCode, ...data } = outcome;
  // --json adds the value on stdout.
  return { data: { ...data, dryRun }, text: '', exitCode, warnings: [line] };
};

/** The emulation hook run, the same way. */
export const runEmulate: Runner<typeof syntax.emulate> = async (_args, opts) => {
  const dryRun = opts.dryRun === true;
  const outcome = runEmulateHook(readFileSync(0, 'utf8'), { emulatorDirs: opts.emulatorDir, dryRun });
  const line = emulateLine(outcome);
  report(line, opts.log, dryRun);
  const { exitCode, ...data } = outcome;
  return { data: { ...data, dryRun }, text: '', exitCode, warnings: [line] };
};

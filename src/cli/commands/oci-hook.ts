/**
 * `binfmt oci-hook install | uninstall | run`: wiring and rendering only; the
 * work is in ops/oci-hook.ts.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HookCommand, HookKind } from '../../core/oci-hook.js';
import { installHook, runHook, uninstallHook } from '../../ops/oci-hook.js';
import { runEmulateHook } from '../../ops/oci-emulate.js';
import { emulateLine, hookLine } from '../render/hook-line.js';
import { renderFix } from '../fix-command.js';
import { result, type Runner } from '../output.js';
import type * as syntax from '../syntax/oci-hook.js';

/** What each of binfmt's hooks.d files (src/core/oci-hook.ts names them) runs the hook for. */
const DESCRIBE: Record<HookKind, string> = {
  annotation: 'containers with the annotation run.binfmt.host-runtime=true',
  toolbox: 'Toolbx containers: toolbox … init-container',
  emulate: 'every container: qemu for a foreign entry point',
};

/**
 * What the runtime runs for each hook: this node and CLI bundle, `oci-hook
 * run` with --loader-dir, `oci-hook emulate` with --emulator-dir, both with
 * --log; every path absolute (a runtime's working directory is its own).
 */
function hookCommands(opts: Parameters<Runner<typeof syntax.install>>[1]): {
  loaderDir: string;
  run: HookCommand;
  emulate: HookCommand;
} {
  const loaderDir = resolve(opts.loaderDir);
  const { log } = opts;
  const logArgs = log ? ['--log', resolve(log)] : [];
  const command = (...args: string[]): HookCommand => ({
    path: process.execPath,
    args: [process.execPath, process.argv[1]!, 'oci-hook', ...args, ...logArgs],
  });
  const emulatorDirs = (opts.emulatorDir ?? []).flatMap((d) => ['--emulator-dir', resolve(d)]);
  return { loaderDir, run: command('run', '--loader-dir', loaderDir), emulate: command('emulate', ...emulatorDirs) };
}

export const runInstall: Runner<typeof syntax.install> = async (_args, opts) => {
  const dryRun = opts.dryRun === true;
  const out = installHook({ hooksDir: opts.hooksDir, ...hookCommands(opts), dryRun });
  const verb = dryRun ? 'would write' : 'wrote';
  const lines = [
    `${dryRun ? 'would install' : 'installed'} the host-runtime loader ${out.loader}`,
    ...out.files.map((f) => `${verb} ${f.path} (${DESCRIBE[f.kind]})`),
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
  const { fix, ...outcome } = runHook(readFileSync(0, 'utf8'), {
    loaderDir: opts.loaderDir,
    dryRun,
  });
  // A fix goes in parentheses after the reason, in the line and in --json alike.
  if (fix) outcome.reason += ` (${renderFix(fix, [])})`;
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

/**
 * The command table: each command's syntax (src/cli/syntax/, typed options
 * and arguments) and how to load its implementation (commands/<name>.ts),
 * which is imported only when that command runs.
 */
import type { CommandUnknownOpts, OptionValues } from '@commander-js/extra-typings';
import type { CommandResult, Runner } from './output.js';
import type { Repeated } from './given-options.js';
import * as ociHook from './syntax/oci-hook.js';
import * as loader from './syntax/loader.js';
import { disable, enable, remove } from './syntax/entry-state.js';
import { check, inspect, mark } from './syntax/elf-file.js';
import { doctor } from './syntax/doctor.js';
import { emulate } from './syntax/emulate.js';
import { exec } from './syntax/exec.js';
import { exportEntries, importEntries } from './syntax/interop.js';
import { list } from './syntax/list.js';
import { persist, unpersist } from './syntax/persist.js';
import { apply, plan, reorder } from './syntax/reconcile.js';
import { register } from './syntax/register.js';
import { rootfs } from './syntax/rootfs.js';
import { sandbox } from './syntax/sandbox.js';
import { show } from './syntax/show.js';
import { status } from './syntax/status.js';
import { validate } from './syntax/validate.js';
import { which } from './syntax/which.js';

export interface CommandSpec {
  name: string;
  /** The command's options and arguments (built only when it is the one run, or for the full help). */
  syntax: () => CommandUnknownOpts;
  /** More text for --help, after the options (loaded only when help is asked for). */
  helpAfter?: () => Promise<string>;
  subcommands?: CommandSpec[];
  load?: () => Promise<(args: unknown[], opts: OptionValues, given: Repeated) => Promise<CommandResult>>;
}

/**
 * A command whose implementation takes exactly what its syntax parses: the
 * runner's argument and option types are checked against the syntax here.
 */
function leaf<S extends () => CommandUnknownOpts>(
  name: string,
  syntax: S,
  load: () => Promise<Runner<S>>,
  helpAfter?: () => Promise<string>,
): CommandSpec {
  return { name, syntax, load: load as CommandSpec['load'], ...(helpAfter ? { helpAfter } : {}) };
}

export const COMMANDS: CommandSpec[] = [
  leaf('list', list, async () => (await import('./commands/list.js')).run),
  leaf('show', show, async () => (await import('./commands/show.js')).run),
  leaf('status', status, async () => (await import('./commands/status.js')).run),
  leaf(
    'register',
    register,
    async () => (await import('./commands/register.js')).run,
    async () => (await import('./commands/register.js')).helpAfter(),
  ),
  leaf('remove', remove, async () => (await import('./commands/entry-state.js')).remove),
  leaf('enable', enable, async () => (await import('./commands/entry-state.js')).enable),
  leaf('disable', disable, async () => (await import('./commands/entry-state.js')).disable),
  leaf('validate', validate, async () => (await import('./commands/validate.js')).run),
  leaf('which', which, async () => (await import('./commands/which.js')).run),
  leaf('plan', plan, async () => (await import('./commands/plan.js')).run),
  leaf('apply', apply, async () => (await import('./commands/apply.js')).run),
  leaf('reorder', reorder, async () => (await import('./commands/reorder.js')).run),
  leaf('persist', persist, async () => (await import('./commands/persist.js')).persist),
  leaf('unpersist', unpersist, async () => (await import('./commands/persist.js')).unpersist),
  leaf('import', importEntries, async () => (await import('./commands/import.js')).run),
  leaf('export', exportEntries, async () => (await import('./commands/export.js')).run),
  leaf('emulate', emulate, async () => (await import('./commands/emulate.js')).run),
  leaf('doctor', doctor, async () => (await import('./commands/doctor.js')).run),
  leaf('sandbox', sandbox, async () => (await import('./commands/sandbox.js')).run),
  leaf('exec', exec, async () => (await import('./commands/exec.js')).run),
  leaf('inspect', inspect, async () => (await import('./commands/inspect.js')).run),
  leaf('check', check, async () => (await import('./commands/check.js')).run),
  leaf('mark', mark, async () => (await import('./commands/mark.js')).run),
  {
    name: 'oci-hook',
    syntax: ociHook.ociHook,
    subcommands: [
      leaf('install', ociHook.install, async () => (await import('./commands/oci-hook.js')).runInstall),
      leaf('uninstall', ociHook.uninstall, async () => (await import('./commands/oci-hook.js')).runUninstall),
      leaf('run', ociHook.run, async () => (await import('./commands/oci-hook.js')).runRun),
      leaf('emulate', ociHook.emulate, async () => (await import('./commands/oci-hook.js')).runEmulate),
    ],
  },
  leaf('rootfs', rootfs, async () => (await import('./commands/rootfs.js')).run),
  {
    name: 'loader',
    syntax: loader.loader,
    subcommands: [
      leaf('path', loader.path, async () => (await import('./commands/loader.js')).runPath),
      leaf('stamp', loader.stamp, async () => (await import('./commands/loader.js')).runStamp),
      leaf('show', loader.showCopy, async () => (await import('./commands/loader.js')).runShow),
    ],
  },
];

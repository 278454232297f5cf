/**
 * The options several commands share, typed where commander parses them
 * (@commander-js/extra-typings infers each command's option and argument
 * types from these declarations). Each default is named once, in the layer
 * that owns it, and the help text is made from it.
 */
import { Command, Option } from '@commander-js/extra-typings';
import { resolve } from 'node:path';
import { BinfmtError } from '../../core/binfmt-error.js';
import { DEFAULT_STATE_DIR } from '../../config/ownership-state.js';
import { DEFAULT_MOUNT } from '../../kernel/binfmt-misc.js';
import { existingDir } from '../option-dir.js';

/** A command with its --json option; `page` is the man page that describes the JSON. */
export function command(name: string, description: string, page = `binfmt-${name}`) {
  return new Command(name)
    .description(description)
    .option('--json', `print the result as JSON (its shape: man ${page})`);
}

/** --pid PID: a process id, checked where it is parsed. */
export function pidNumber(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) throw new BinfmtError('EUSAGE', `--pid ${value}: not a process id`, '--pid');
  return Number(value);
}

/** A directory option that must name an existing directory (see option-dir.ts). */
export const directory =
  (option: string) =>
  (value: string): string =>
    existingDir(value, option);

/** A repeatable option: every value, in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A repeatable directory option: every value, checked (and made absolute if asked). */
export const directories =
  (option: string, absolute = false) =>
  (value: string, previous: string[] = []): string[] => {
    const dir = existingDir(value, option);
    return [...previous, absolute ? resolve(dir) : dir];
  };

/** --mount DIR: the binfmt_misc instance mounted at DIR. */
export const mountOption = () => new Option('--mount <dir>', `binfmt_misc mount to use (default: ${DEFAULT_MOUNT})`);

/** --pid PID: the binfmt_misc of that process's user namespace instead. */
export const pidOption = () =>
  new Option('--pid <pid>', "act on the binfmt_misc of process PID's user namespace (a container's)").argParser(
    pidNumber,
  );

/** Every command that changes something has --dry-run. */
export const dryRunOption = () => new Option('--dry-run', 'show what would be done; change nothing');

export const forceOption = () => new Option('--force', 'do it even though a safety guard refuses');

/** --config-root DIR: read binfmt.d below DIR. A mistyped DIR would read as an empty configuration: it must exist. */
export const configRootOption = () =>
  new Option('--config-root <dir>', 'read binfmt.d directories below DIR instead of / (images, tests)')
    .argParser(directory('--config-root'))
    .default('/');

/** --config-root DIR for the commands that write binfmt.d below it (and make the directories). */
export const writtenConfigRootOption = () =>
  new Option('--config-root <dir>', 'write binfmt.d files below DIR instead of / (images, tests)').default('/');

export const stateDirOption = () =>
  new Option('--state-dir <dir>', 'where the ownership state lives').default(DEFAULT_STATE_DIR);

export const pruneOption = () =>
  new Option('--prune', 'also remove entries binfmt registered that are no longer configured');

export const atomicOption = () =>
  new Option(
    '--atomic',
    'all or nothing: if the kernel refuses one entry, undo everything ' +
      '(default: skip it and apply the others, as systemd-binfmt)',
  );

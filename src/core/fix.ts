/**
 * What to do about a problem, as data: words, and the binfmt commands to
 * type. The CLI renders a command with the options the user ran with
 * (src/cli/fix-command.ts), so that typing it acts on the same
 * configuration, state and instance; the core never spells a command line.
 */

/** The binfmt commands a fix may suggest. */
export type FixCommandName = 'apply' | 'emulate' | 'oci-hook' | 'persist' | 'plan' | 'remove' | 'reorder' | 'status';

export interface FixCommand {
  command: FixCommandName;
  args: readonly string[];
}

/** Words and commands, in reading order. */
export type Fix = readonly (string | FixCommand)[];

/** `binfmt COMMAND ARGS...`, as a part of a fix. */
export function binfmt(command: FixCommandName, ...args: string[]): FixCommand {
  return { command, args };
}

/**
 * The command table. Each entry names its options and how to load its
 * implementation (commands/<name>.ts), which is imported only when that
 * command runs.
 */
import type { CommandResult, CommonOptions } from './output.js';

export type Runner = (args: unknown[], opts: CommonOptions & Record<string, unknown>) => Promise<CommandResult>;

export interface OptionSpec {
  flags: string;
  description: string;
  default?: string | boolean;
  choices?: string[];
  /** Repeatable: values are collected into an array. */
  collect?: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  args?: string[];
  /** Accepts --mount DIR. */
  mount?: boolean;
  /** Changes something: gets --dry-run. */
  changes?: boolean;
  options?: OptionSpec[];
  passThrough?: boolean;
  subcommands?: CommandSpec[];
  load?: () => Promise<Runner>;
}

const force: OptionSpec = { flags: '--force', description: 'do it even though a safety guard refuses' };

export const COMMANDS: CommandSpec[] = [
  {
    name: 'sandbox',
    description: 'run CMD in a new user+mount namespace with a private binfmt_misc at the usual path',
    args: ['<cmd...>'],
    passThrough: true,
    load: async () => (await import('./commands/sandbox.js')).run,
  },
];
void force;

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
  {
    name: 'inspect',
    description: 'show what an ELF file needs: class, machine, interpreter, libraries, symbol versions, marker',
    args: ['<file>'],
    load: async () => (await import('./commands/inspect.js')).run,
  },
  {
    name: 'check',
    description: 'tell whether FILE would run against the runtime inside DIR, and what it misses if not',
    args: ['<file>'],
    options: [{ flags: '--root <dir>', description: 'the root directory whose runtime to check against', default: '/' }],
    load: async () => (await import('./commands/check.js')).run,
  },
  {
    name: 'mark',
    description: 'stamp a 4-byte marker into e_flags of an x86-64 ELF file, for the host-runtime (or slulb-magic) entry',
    args: ['<file>'],
    changes: true,
    options: [{ flags: '--tag <tag>', description: 'the 4-character marker (default HRT1, the host-runtime marker; SLUL for slulb-magic)' }],
    load: async () => (await import('./commands/mark.js')).run,
  },
];
void force;

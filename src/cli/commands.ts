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
    name: 'loader',
    description: 'the chainloader: where it is, configured copies of it',
    subcommands: [
      {
        name: 'path',
        description: 'print the absolute path of the built loader',
        load: async () => (await import('./commands/loader.js')).runPath,
      },
      {
        name: 'stamp',
        description: 'write a configured copy of the loader (one copy per registration)',
        changes: true,
        options: [
          { flags: '--out <file>', description: 'where to write the copy (required)' },
          { flags: '--ld <path>', description: 'run ld.so from this absolute path' },
          { flags: '--embed-ld <path>', description: 'carry this ld.so inside the copy' },
          { flags: '--ld-from-program', description: "use each program's own PT_INTERP" },
          { flags: '--root <dir>', description: 'with --ld-from-program: resolve PT_INTERP inside DIR unless DIR is /' },
          { flags: '--library-path <dirs>', description: 'pass --library-path DIRS to ld.so' },
          { flags: '--inhibit-cache', description: 'pass --inhibit-cache to ld.so' },
          { flags: '--no-argv0', description: 'never pass --argv0 (for an ld.so older than glibc 2.33)' },
        ],
        load: async () => (await import('./commands/loader.js')).runStamp,
      },
      {
        name: 'show',
        description: "print a loader copy's baked configuration",
        args: ['<file>'],
        load: async () => (await import('./commands/loader.js')).runShow,
      },
    ],
  },
];
void force;

/**
 * What a command hands back to main(): the data (what --json prints), the
 * human text, and the exit status. Commands collect first and render last;
 * nothing but main() writes to stdout.
 */
import type { Command, OptionValues } from '@commander-js/extra-typings';
import type { Repeated } from './given-options.js';

export interface CommandResult {
  /** Printed as JSON with --json. */
  data: unknown;
  /** Printed without --json (a trailing newline is added if missing). */
  text: string;
  /** 0 ok, 1 failed (2 is usage and comes from argument parsing). */
  exitCode?: number;
  /** Extra lines for stderr (warnings), printed in both modes. */
  warnings?: string[];
}

export function result(data: unknown, text: string, exitCode = 0, warnings: string[] = []): CommandResult {
  return { data, text, exitCode, warnings };
}

/**
 * A command's implementation: the positional arguments and options its
 * syntax (src/cli/syntax/) parses, typed as commander parsed them, in; a
 * result out. `given` holds the options the user typed a value for, flag and
 * value (src/cli/given-options.ts), for a command that repeats
 * them in what it suggests.
 */
export type Runner<Syntax> = Syntax extends () => Command<infer Args, infer Opts, OptionValues>
  ? (args: Args, opts: Opts, given: Repeated) => Promise<CommandResult>
  : never;

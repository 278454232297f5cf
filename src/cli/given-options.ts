/**
 * The options the user gave a command a value for, as typed: what doctor's
 * fixes repeat (src/cli/fix-command.ts), so that typing a fix acts on the
 * same configuration, state and instance, and an option left at its default
 * stays so. Commander records where each value came from; the defaults are
 * named once, in the syntax, and not compared against here.
 */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';

/** Options as given: flag and value, in the order the command declares them. */
export type Repeated = [flag: string, value: string][];

/**
 * Every option of `cmd` the user gave a value on the command line or in the
 * environment. Flags (a boolean: --json, --no-probe) say how to run, not what
 * to act on, and are left out; a repeated option gives one pair per value.
 */
export function givenOptions(cmd: CommandUnknownOpts): Repeated {
  const given: Repeated = [];
  for (const o of cmd.options) {
    const key = o.attributeName();
    const source = cmd.getOptionValueSource(key);
    if (o.long === undefined || (source !== 'cli' && source !== 'env')) continue;
    const value: unknown = cmd.getOptionValue(key);
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string' || typeof v === 'number') given.push([o.long, String(v)]);
  }
  return given;
}

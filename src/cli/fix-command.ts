/**
 * doctor's suggested fixes, made typeable as shown: a `binfmt CMD ...` in a
 * fix gets the options doctor itself ran with (--config-root, --state-dir,
 * --mount) that CMD accepts, so that typing
 * the fix acts on the same configuration, state and instance doctor checked.
 * What CMD accepts is read from the command table, not restated here.
 */
import { COMMANDS, type CommandSpec } from './commands.js';

/** The options to repeat, as given to doctor: flag and value. */
export type Repeated = [flag: string, value: string][];

/** A shell word for `s`, quoted only when it needs to be. */
function word(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function accepts(spec: CommandSpec, flag: string): boolean {
  if (flag === '--mount') return spec.mount === true;
  return (spec.options ?? []).some((o) => o.flags.startsWith(`${flag} `));
}

function extraFor(name: string, repeated: Repeated): string {
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) return '';
  return repeated
    .filter(([flag]) => accepts(spec, flag))
    .map(([flag, value]) => ` ${flag} ${word(value)}`)
    .join('');
}

/** `fix` with each `binfmt CMD ARGS` (up to a comma or the end) extended by the options CMD accepts. */
export function withContext(fix: string, repeated: Repeated): string {
  return fix.replace(/\bbinfmt ([a-z]+)([^,(]*?)(\s*)(?=,|\(|$)/g, (_m, cmd: string, args: string, space: string) => `binfmt ${cmd}${args}${extraFor(cmd, repeated)}${space}`);
}

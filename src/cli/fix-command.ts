/**
 * doctor's suggested fixes (src/core/fix.ts), made typeable as shown: each
 * binfmt command in a fix gets the options doctor itself ran with
 * (--config-root, --state-dir, --mount) that the command accepts, so that
 * typing the fix acts on the same configuration, state and instance doctor
 * checked.
 */
import type { Fix, FixCommandName } from '../core/fix.js';

/**
 * Which of doctor's options each command takes. The command table says the
 * same (test/cli/fix-command.test.ts compares them); it is not imported here
 * because the table loads this module's importer (commands/doctor.ts).
 */
export const CONTEXT_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  list: ['--mount'],
  show: ['--mount'],
  status: ['--mount'],
  register: ['--state-dir', '--mount'],
  remove: ['--state-dir', '--mount'],
  enable: ['--mount'],
  disable: ['--mount'],
  which: ['--mount'],
  plan: ['--config-root', '--state-dir', '--mount'],
  apply: ['--config-root', '--state-dir', '--mount'],
  reorder: ['--state-dir', '--mount'],
  persist: ['--config-root', '--mount'],
  unpersist: ['--config-root'],
  import: ['--state-dir', '--mount'],
  export: ['--mount'],
  doctor: ['--config-root', '--state-dir', '--mount'],
  emulate: ['--config-root', '--state-dir', '--mount'],
};

/** The options to repeat, as given to doctor: flag and value. */
export type Repeated = [flag: string, value: string][];

/** A shell word for `s`, quoted only when it needs to be. */
function word(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function extraFor(name: FixCommandName, repeated: Repeated): string {
  const takes = CONTEXT_OPTIONS[name] ?? [];
  return repeated
    .filter(([flag]) => takes.includes(flag))
    .map(([flag, value]) => ` ${flag} ${word(value)}`)
    .join('');
}

/** The fix in words: each command as `binfmt CMD ARGS`, then the options of `repeated` that CMD takes. */
export function renderFix(fix: Fix, repeated: Repeated): string {
  return fix
    .map((part) =>
      typeof part === 'string'
        ? part
        : `binfmt ${[part.command, ...part.args].join(' ')}${extraFor(part.command, repeated)}`,
    )
    .join('');
}

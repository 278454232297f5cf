/**
 * doctor's suggested fixes (src/core/fix.ts), made typeable as shown: each
 * binfmt command in a fix gets the options the user gave doctor a value for
 * (src/cli/given-options.ts: --config-root, --state-dir, --mount, --pid)
 * that the command accepts, so that typing the fix acts on the same
 * configuration, state and instance doctor checked.
 */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { renderParts, type Fix, type FixCommand, type FixCommandName, type FixOption } from '../core/fix.js';
import { optionWord } from './option-words.js';
import type { Repeated } from './given-options.js';
import { persist } from './syntax/persist.js';
import { apply, plan, reorder } from './syntax/reconcile.js';
import { remove } from './syntax/entry-state.js';
import { emulate } from './syntax/emulate.js';
import { exec } from './syntax/exec.js';
import { loader } from './syntax/loader.js';
import { rootfs } from './syntax/rootfs.js';
import { ociHook } from './syntax/oci-hook.js';
import { sandbox } from './syntax/sandbox.js';
import { status } from './syntax/status.js';
import { validate } from './syntax/validate.js';

/** The syntax of each command a fix may name: what it takes is read from there. */
const SYNTAX: Readonly<Record<FixCommandName, () => CommandUnknownOpts>> = {
  apply,
  emulate,
  exec,
  loader,
  'oci-hook': ociHook,
  persist,
  plan,
  remove,
  reorder,
  rootfs,
  sandbox,
  status,
  validate,
};

/** The long options command `name` takes. */
export function optionsOf(name: FixCommandName): string[] {
  return SYNTAX[name]()
    .options.map((o) => o.long)
    .filter((l): l is string => l !== undefined);
}

/** A shell word for `s`, quoted only when it needs to be. */
function word(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function extraFor(name: FixCommandName, repeated: Repeated): string {
  const takes = optionsOf(name);
  return repeated
    .filter(([flag]) => takes.includes(flag))
    .map(([flag, value]) => ` ${flag} ${word(value)}`)
    .join('');
}

function optionText(o: FixOption): string {
  const flag = optionWord(o.option);
  return o.value === undefined ? flag : `${flag} ${o.value}`;
}

function commandText(c: FixCommand, repeated: Repeated): string {
  const args = c.args.map((a) => (typeof a === 'string' ? a : optionText(a)));
  return `binfmt ${[c.command, ...args].join(' ')}${extraFor(c.command, repeated)}`;
}

/**
 * The fix in words: each option as the CLI spells it, each command as
 * `binfmt CMD ARGS`, then the options of `repeated` that CMD takes.
 */
export function renderFix(fix: Fix, repeated: Repeated): string {
  return renderParts(fix, (p) => ('option' in p ? optionText(p) : commandText(p, repeated)));
}

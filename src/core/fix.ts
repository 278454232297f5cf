/**
 * What to do about a problem, as data: words, binfmt commands to type and
 * binfmt options to give. Below src/cli nothing spells a command line or an
 * option: a lower layer names a command with binfmt() and an option with
 * option(), by its logical name (the key commander parses it into: 'stateDir'
 * for --state-dir), and the CLI renders them (src/cli/fix-command.ts), a
 * command with the options the user ran with, so that typing it acts on the
 * same configuration, state and instance.
 *
 * plainText() is the rendering for text the CLI does not render itself: an
 * error's message embedded in another message, and the text a command's
 * result holds as a string (a note, a warning, a plan's message or step: its
 * JSON has strings), which a lower layer makes with plainText() from the
 * same parts rather than spelling the words. It writes an option as
 * commander spells the attribute it derives from it (--state-dir for
 * stateDir); test/architecture/cli-words.test.ts checks that every option
 * named below src/cli is spelled so, and exists.
 */

/** The binfmt commands a fix may suggest. */
export type FixCommandName =
  | 'apply'
  | 'emulate'
  | 'exec'
  | 'loader'
  | 'oci-hook'
  | 'persist'
  | 'plan'
  | 'remove'
  | 'reorder'
  | 'rootfs'
  | 'sandbox'
  | 'status'
  | 'validate';

/** A binfmt option: `name` is its logical name (stateDir), `value` what to give it, if it takes one. */
export interface FixOption {
  option: string;
  value?: string;
}

export interface FixCommand {
  command: FixCommandName;
  args: readonly (string | FixOption)[];
}

/** Words, commands and options, in reading order. */
export type Fix = readonly (string | FixCommand | FixOption)[];

/** `binfmt COMMAND ARGS...`, as a part of a fix. */
export function binfmt(command: FixCommandName, ...args: (string | FixOption)[]): FixCommand {
  return { command, args };
}

/** The option logically named `name` (`--state-dir DIR` is option('stateDir', 'DIR')). */
export function option(name: string, value?: string): FixOption {
  return value === undefined ? { option: name } : { option: name, value };
}

export function isOption(part: unknown): part is FixOption {
  return typeof part === 'object' && part !== null && typeof (part as FixOption).option === 'string';
}

/** How commander spells the option whose attribute is `name`: stateDir ↔ --state-dir. */
export function plainOptionWord(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Renders the parts of `fix` with `part`, joined. */
export function renderParts(fix: Fix, part: (p: FixCommand | FixOption) => string): string {
  return fix.map((p) => (typeof p === 'string' ? p : part(p))).join('');
}

function plainPart(p: FixCommand | FixOption): string {
  if (isOption(p)) return p.value === undefined ? plainOptionWord(p.option) : `${plainOptionWord(p.option)} ${p.value}`;
  return ['binfmt', p.command, ...p.args.map((a) => (typeof a === 'string' ? a : plainPart(a)))].join(' ');
}

/** `fix` as text, without the options the user ran with. */
export function plainText(fix: Fix): string {
  return renderParts(fix, plainPart);
}

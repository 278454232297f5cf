/**
 * The words of binfmt's own options, read from the syntax of every command:
 * below src/cli an option is named by its logical name (the attribute
 * commander parses it into, stateDir), and this is where it becomes
 * `--state-dir` again.
 */
import { Command } from '@commander-js/extra-typings';
import * as doctor from './syntax/doctor.js';
import * as elfFile from './syntax/elf-file.js';
import * as emulate from './syntax/emulate.js';
import * as entryState from './syntax/entry-state.js';
import * as exec from './syntax/exec.js';
import * as interop from './syntax/interop.js';
import * as list from './syntax/list.js';
import * as loader from './syntax/loader.js';
import * as ociHook from './syntax/oci-hook.js';
import * as persist from './syntax/persist.js';
import * as reconcile from './syntax/reconcile.js';
import * as register from './syntax/register.js';
import * as rootfs from './syntax/rootfs.js';
import * as sandbox from './syntax/sandbox.js';
import * as show from './syntax/show.js';
import * as status from './syntax/status.js';
import * as validate from './syntax/validate.js';
import * as which from './syntax/which.js';

/**
 * Every syntax module of a command (not the command table, which loads the
 * commands that render errors; test/architecture/cli-words.test.ts checks
 * that these cover every command of it).
 */
const SYNTAX_MODULES: readonly Record<string, unknown>[] = [
  doctor,
  elfFile,
  emulate,
  entryState,
  exec,
  interop,
  list,
  loader,
  ociHook,
  persist,
  reconcile,
  register,
  rootfs,
  sandbox,
  show,
  status,
  validate,
  which,
];

let words: Map<string, string> | undefined;

/** Each command a module builds: its exports that take nothing and return a Command. */
function commandsOf(module: Record<string, unknown>): Command[] {
  return Object.values(module)
    .filter((f): f is () => unknown => typeof f === 'function' && f.length === 0)
    .map((f) => f())
    .filter((c): c is Command => c instanceof Command);
}

function collect(into: Map<string, string>): void {
  for (const cmd of SYNTAX_MODULES.flatMap(commandsOf)) {
    for (const o of cmd.options) {
      if (o.long === undefined) continue;
      // --no-X parses into X too: it is named noX, as its own words read.
      const name = o.negate ? o.long.slice(2).replace(/-(.)/g, (_, c: string) => c.toUpperCase()) : o.attributeName();
      const had = into.get(name);
      if (had !== undefined && had !== o.long) throw new Error(`option ${name} is both ${had} and ${o.long}`);
      into.set(name, o.long);
    }
  }
}

/** Every option of every command: logical name → long option (stateDir → --state-dir). */
export function optionWords(): ReadonlyMap<string, string> {
  if (!words) collect((words = new Map()));
  return words;
}

/** The long option logically named `name`; a name no command has is binfmt's own bug. */
export function optionWord(name: string): string {
  const word = optionWords().get(name);
  if (word === undefined) throw new Error(`no binfmt option is named ${name}`);
  return word;
}

/**
 * Builds the commander program and runs it. main() is the only place that
 * writes results and sets the exit status: 0 ok, 1 failed, 2 usage.
 * Each command lives in commands/<name>.ts and is loaded only when it runs,
 * so start-up stays close to a bare `node`.
 */
import { writeSync } from 'node:fs';
import { Command, CommanderError, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { BinfmtError } from '../core/binfmt-error.js';
import type { CommandResult } from './output.js';
import { COMMANDS, type CommandSpec } from './commands.js';
import { givenOptions } from './given-options.js';
import { errorText } from './error-text.js';
import { errorWords } from './error-words.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Writes all of `text` to fd 1 or 2 directly. process.stdout and
 * process.stderr are streams whose first use loads some 30 internal modules
 * (streams, net for a pipe): a fifth of what `binfmt list` costs to start.
 * A reader that went away (EPIPE) ends the output, as for any filter.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let off = 0; off < bytes.length;) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw e; // a non-blocking fd shared with another process: try again
    }
  }
}

const processIo: Io = {
  out: (t) => writeAll(1, t),
  err: (t) => writeAll(2, t),
};

/** --json among the options (not after `--`, where a sandboxed command's own arguments start). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Commander's message on one line, without its "error: " prefix, pointing at
 * the help of the command that was being parsed (`binfmt oci-hook install --help`).
 */
function usageMessage(e: CommanderError, argv: readonly string[]): string {
  const text = e.message.replace(/^error: /, '').replace(/\n\(Did you mean (.*)\?\)$/, '; did you mean $1?');
  const path: string[] = [];
  let specs: readonly CommandSpec[] | undefined = COMMANDS;
  for (const word of argv) {
    const spec: CommandSpec | undefined = specs?.find((c) => c.name === word);
    if (!spec) break;
    path.push(word);
    specs = spec.subcommands;
  }
  return `${text} (see ${['binfmt', ...path].join(' ')} --help)`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command('binfmt')
    .description('manage Linux binfmt_misc registrations exactly as the kernel does')
    .version('0.1.0')
    .exitOverride()
    // Usage errors are printed by main() below, in the --json shape when asked for.
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => undefined })
    .enablePositionalOptions()
    .showHelpAfterError(false);

  let outcome: CommandResult | undefined;
  let json = false;

  const asksHelp = argv.includes('--help') || argv.includes('-h');
  const attach = async (parent: CommandUnknownOpts, spec: CommandSpec): Promise<void> => {
    // Built apart and added, a command inherits nothing by itself: the output, exit and parsing settings are copied.
    const cmd = spec.syntax().copyInheritedSettings(parent);
    parent.addCommand(cmd);
    if (spec.subcommands) {
      for (const sub of spec.subcommands) await attach(cmd, sub);
      return;
    }
    if (spec.helpAfter && asksHelp) cmd.addHelpText('after', await spec.helpAfter());
    const load = spec.load;
    if (!load) throw new Error(`command ${spec.name} has no implementation`);
    cmd.action(async () => {
      const opts = cmd.opts();
      json = opts.json === true;
      const run = await load();
      outcome = await run(cmd.processedArgs, opts, givenOptions(cmd));
    });
  };
  // Start-up: when the first argument names a command, only that command is
  // built (its --help and errors are the same); otherwise (binfmt --help, an
  // unknown command) all of them, so that commander can list or suggest them.
  const named = COMMANDS.find((c) => c.name === argv[0]);
  for (const spec of named ? [named] : COMMANDS) await attach(program, spec);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_OK;
      // 'commander.help' with a non-zero code: no command given (bare `binfmt`, `binfmt loader`), help on
      // stderr; a usage error like any other. Asked for (`binfmt help`), it is 0 on stdout.
      if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      const message = usageMessage(e, argv);
      if (wantsJson(argv)) io.out(JSON.stringify({ error: { code: 'EUSAGE', message, field: null } }, null, 2) + '\n');
      io.err(`binfmt: ${message}\n`);
      return EXIT_USAGE;
    }
    // An option's value is checked where commander parses it, before json is known.
    json ||= wantsJson(argv);
    if (e instanceof BinfmtError) {
      const { message, field } = errorWords(e);
      if (json) io.out(JSON.stringify({ error: { code: e.code, message, field } }, null, 2) + '\n');
      io.err(`binfmt: ${message}\n`);
      return e.code === 'EUSAGE' ? EXIT_USAGE : EXIT_FAILED;
    }
    const t = errorText(e);
    if (json) io.out(JSON.stringify({ error: { code: t.code, message: t.message, field: null } }, null, 2) + '\n');
    io.err(`binfmt: ${t.message}\n`);
    if (process.env.BINFMT_DEBUG && e instanceof Error) io.err(`${e.stack}\n`);
    return EXIT_FAILED;
  }
  if (!outcome) return EXIT_OK;
  for (const w of outcome.warnings ?? []) io.err(`binfmt: ${w}\n`);
  if (json) io.out(JSON.stringify(outcome.data, null, 2) + '\n');
  else if (outcome.text !== '') io.out(outcome.text.endsWith('\n') ? outcome.text : outcome.text + '\n');
  return outcome.exitCode ?? EXIT_OK;
}

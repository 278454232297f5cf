/**
 * A list of commands run one after the other in one fresh sandbox, each with
 * its own status, stdout and stderr: for tests that are a sequence of binfmt
 * invocations and kernel writes, without a shell script in a string.
 */
import { fileURLToPath } from 'node:url';
import { CLI, MOUNT, sandboxedProgram, type Run, type SandboxRunOptions } from './sandbox.js';

const RUNNER = fileURLToPath(new URL('steps-runner.mjs', import.meta.url));
const DUMP = fileURLToPath(new URL('scripts/dump-entries.sh', import.meta.url));

export interface StepRun extends Run {
  /** The signal that ended the step, if one did (then status is null). */
  signal: NodeJS.Signals | null;
}

/** How a program step runs: env is its whole environment (as `env -i`), argv0 what it sees as argv[0]. */
export interface ProgramOptions {
  cwd?: string;
  env?: Record<string, string>;
  argv0?: string;
  input?: string;
}

export type Step =
  | ({ argv: string[]; into?: string; must?: boolean } & ProgramOptions)
  | { write: string; text: string; must?: boolean };

/** Runs a program (no shell). */
export const run = (...argv: string[]): Step => ({ argv });
/** Runs a program with options (working directory, environment, argv[0], standard input). */
export const exec = (argv: string[], opts: ProgramOptions): Step => ({ argv, ...opts });
/** Runs the built binfmt CLI. */
export const binfmt = (...args: string[]): Step => run(process.execPath, CLI, ...args);
/** Writes text to a file with one write(2), from the runner itself: nothing is exec'd. */
export const write = (path: string, text: string): Step => ({ write: path, text });
/** Registers a line directly with the sandbox's kernel, as a foreign tool would. */
export const register = (line: string): Step => write(`${MOUNT}/register`, line);
/** Every entry in the kernel's match order, as "== NAME" and its read-back text. */
export const dump = (): Step => run('bash', DUMP, MOUNT);
/** Lists the sandbox's binfmt_misc directory in the kernel's order (ls -U). */
export const entries = (): Step => run('ls', '-U', MOUNT);
/** Also writes the program's standard output to a file, as `>` would. */
export const into = (path: string, step: Step): Step => ({ ...step, into: path });
/** A step the rest depends on: if it fails the sequence stops and sandboxedSteps throws. */
export const must = (step: Step): Step => ({ ...step, must: true });

/** Runs the steps in order in one fresh sandbox and returns what each one did. */
export function sandboxedSteps(steps: Step[], opts: SandboxRunOptions = {}): StepRun[] {
  const r = sandboxedProgram([process.execPath, RUNNER], { ...opts, input: JSON.stringify(steps) });
  if (r.status !== 0) throw new Error(`the step runner failed (${r.status}): ${r.stderr}`);
  const results = JSON.parse(r.stdout) as StepRun[];
  results.forEach((result, i) => {
    if (steps[i]!.must && result.status !== 0) {
      throw new Error(
        `step ${i} ${JSON.stringify(steps[i])} failed (${result.status ?? result.signal}): ${result.stderr}`,
      );
    }
  });
  return results;
}

// For test/helpers/steps.ts, inside a sandbox: reads a JSON list of steps on
// stdin, runs them in order and prints one JSON list with each step's status,
// signal, stdout and stderr. A step is {argv} (a program, no shell; with
// optional cwd, env (the whole environment, as env -i), argv0 and input) or
// {write, text} (one write(2) of text to a file, in this process: nothing is
// exec'd, so a just-registered entry cannot catch it). A program step with
// `into` also writes its stdout to that file, as a shell's `>` would (failing
// the step if it cannot). A step with `must` that fails ends the list there.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const steps = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const step of steps) {
  const result = step.argv ? program(step) : write(step.write, step.text);
  if (step.into) {
    const saved = write(step.into, result.stdout);
    if (saved.status !== 0) Object.assign(result, { status: saved.status, stderr: result.stderr + saved.stderr });
  }
  results.push(result);
  if (step.must && result.status !== 0) break;
}
process.stdout.write(JSON.stringify(results));

function program({ argv: [bin, ...args], cwd, env, argv0, input }) {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, cwd, env, argv0, input });
  if (r.error) return { status: 127, signal: null, stdout: '', stderr: `${bin}: ${r.error.message}\n` };
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function write(path, text) {
  try {
    writeFileSync(path, text);
    return { status: 0, signal: null, stdout: '', stderr: '' };
  } catch (e) {
    return { status: 1, signal: null, stdout: '', stderr: `${path}: ${e.code ?? e.message}\n` };
  }
}

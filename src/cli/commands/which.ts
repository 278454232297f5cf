/**
 * `binfmt which FILE`: the entry the kernel would run for execve(PATH, argv)
 * on this file, and the argv its interpreter would receive. PATH is FILE as
 * given unless --exec-path says otherwise (extensions match the path string).
 */
import { accessSync, constants } from 'node:fs';
import { BinfmtError } from '../../core/binfmt-error.js';
import { execChain, type ChainStep, type ExecChain } from '../../core/exec-chain.js';
import { BINPRM_BUF_SIZE, MAX_INTERPRETER_REWRITES } from '../../core/limits.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { readHead } from '../../kernel/file-facts.js';
import { readAt, withRegular } from '../../sys/bounded-read.js';
import { result, type Runner } from '../output.js';
import type { which } from '../syntax/which.js';

export const run: Runner<typeof which> = async (args, opts) => {
  const [file, rest] = args;
  const path = opts.execPath ?? file;
  const argv0 = opts.argv0 ?? path;
  // What the kernel reads to match: the first BINPRM_BUF_SIZE bytes of a regular file.
  let head: Uint8Array;
  try {
    head = withRegular(file, 'file', (f) => readAt(f, 0, BINPRM_BUF_SIZE), 'which: ');
  } catch (e) {
    // execve refuses anything but a regular file (do_open_execat: EACCES) before binfmt_misc is asked
    if (e instanceof BinfmtError && (e.code === 'EISDIR' || e.code === 'EINVAL'))
      throw new BinfmtError(
        e.code,
        `${e.message.replace(/, not a regular file$/, '')} (execve fails with EACCES)`,
        'file',
      );
    throw e;
  }
  const kernel = new BinfmtMisc(opts.mount);
  const enabled = kernel.status();
  const chain = execChain(kernel.list(), { path, head }, [argv0, ...rest], interpreterHead, enabled);
  let note = '';
  try {
    accessSync(file, constants.X_OK);
  } catch {
    note = ` (note: ${file} is not executable, so execve fails with EACCES before binfmt_misc is asked)`;
  }
  const all = [...chain.steps, ...(chain.failed ? [chain.failed] : [])];
  const data = {
    entry: all[0]?.entry?.name ?? null,
    argv: chain.argv,
    errno: chain.errno,
    chain: all.map((s) => ({ entry: s.entry?.name ?? null, path: s.path, interpreter: s.interpreter, argv: s.argv })),
  };
  if (!all.some((s) => s.entry)) {
    // No binfmt_misc entry anywhere: the kernel's own handlers (ELF, #!) do it all.
    const text = `${path}: no binfmt_misc entry${enabled ? '' : ' (binfmt_misc is disabled)'}; the kernel runs it itself (ELF, #!) or fails with ENOEXEC${note}`;
    return result(data, text);
  }
  const lines = chain.steps.map(stepLine);
  if (chain.failed) lines.push(`${stepLine(chain.failed)}\n${failure(chain)}`);
  else lines.push(`argv: ${JSON.stringify(chain.argv)}`);
  return result(data, lines.join('\n') + note);
};

/** The first bytes of an interpreter, as the kernel's open_exec would find it (or why it would not). */
const interpreterHead = (p: string): Uint8Array | { errno: string } => {
  try {
    accessSync(p, constants.X_OK);
  } catch (e) {
    return { errno: (e as NodeJS.ErrnoException).code ?? 'EACCES' };
  }
  return readHead(p, BINPRM_BUF_SIZE) ?? { errno: 'EACCES' };
};

const stepLine = (s: ChainStep): string =>
  s.entry
    ? `${s.path}: ${s.entry.name} -> ${s.interpreter}${s.entry.flags ? ` [${s.entry.flags}]` : ''}`
    : `${s.path}: #! -> ${s.interpreter}`;

function failure(chain: ExecChain): string {
  const why: Record<string, string> = {
    ELOOP: `one interpreter rewrite more than the kernel allows (${MAX_INTERPRETER_REWRITES})`,
    ENOEXEC: 'a rewrite after an O (or C) entry, which allows one execfd hand-over per exec',
  };
  return `execve fails with ${chain.errno}: ${why[chain.errno ?? ''] ?? `the interpreter ${chain.failed?.interpreter} cannot be opened`}`;
}

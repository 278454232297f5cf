/**
 * `binfmt which FILE`: the entry the kernel would run for execve(PATH, argv)
 * on this file, and the argv its interpreter would receive. PATH is FILE as
 * given unless --exec-path says otherwise (extensions match the path string).
 */
import { accessSync, constants } from 'node:fs';
import { BinfmtError } from '../../core/binfmt-error.js';
import { interpreterArgv, matchEntry } from '../../core/match.js';
import { BINPRM_BUF_SIZE } from '../../core/limits.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { readAt, withRegular } from '../../sys/bounded-read.js';
import { result, type Runner } from '../output.js';

export const run: Runner = async (args, opts) => {
  const file = args[0] as string;
  const rest = (args[1] as string[] | undefined) ?? [];
  const path = typeof opts.execPath === 'string' ? opts.execPath : file;
  const argv0 = typeof opts.argv0 === 'string' ? opts.argv0 : path;
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
  const entries = kernel.list();
  const entry = matchEntry(entries, { path, head }, enabled);
  const argv = entry ? interpreterArgv(entry, path, [argv0, ...rest]) : [argv0, ...rest];
  let note = '';
  try {
    accessSync(file, constants.X_OK);
  } catch {
    note = ` (note: ${file} is not executable, so execve fails with EACCES before binfmt_misc is asked)`;
  }
  const text = entry
    ? `${path}: ${entry.name} -> ${entry.interpreter}${entry.flags ? ` [${entry.flags}]` : ''}\nargv: ${JSON.stringify(argv)}${note}`
    : `${path}: no binfmt_misc entry${enabled ? '' : ' (binfmt_misc is disabled)'}; the kernel runs it itself (ELF, #!) or fails with ENOEXEC${note}`;
  return result({ entry: entry?.name ?? null, argv }, text);
};

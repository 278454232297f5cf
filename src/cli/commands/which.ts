/**
 * `binfmt which FILE`: the entry the kernel would run for execve(PATH, argv)
 * on this file, and the argv its interpreter would receive. PATH is FILE as
 * given unless --exec-path says otherwise (extensions match the path string).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { BinfmtError } from '../../core/binfmt-error.js';
import { interpreterArgv, matchEntry } from '../../core/match.js';
import { BINPRM_BUF_SIZE } from '../../core/limits.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { readHead } from '../../kernel/file-facts.js';
import { result, type Runner } from '../output.js';

export const run: Runner = async (args, opts) => {
  const file = args[0] as string;
  const rest = (args[1] as string[] | undefined) ?? [];
  const path = typeof opts.execPath === 'string' ? opts.execPath : file;
  const argv0 = typeof opts.argv0 === 'string' ? opts.argv0 : path;
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    // missing or unreadable: readHead below says so
  }
  if (isDir) throw new BinfmtError('EISDIR', `which: ${file}: is a directory (execve fails with EACCES)`, 'file');
  const head = readHead(file, BINPRM_BUF_SIZE);
  if (!head) throw new BinfmtError('ENOENT', `which: cannot read ${file}`, 'file');
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

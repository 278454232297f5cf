import { closeSync, realpathSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { BinfmtError } from '../../core/binfmt-error.js';
import { readElf, type ElfInfo } from '../../elf/elf-file.js';
import { checkProgram } from '../../runtime/check.js';
import { RootFs } from '../../runtime/root-fs.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type { check } from '../syntax/elf-file.js';
import { openRegular, type OpenFile } from '../../sys/bounded-read.js';
import { FileBytes } from '../../sys/file-bytes.js';
import { aboutFile } from '../about-file.js';

interface Program {
  info: ElfInfo;
  /** How ld.so names it: its path inside the root, or FILE as given when outside. */
  name: string;
  /** $ORIGIN: the directory of its real path (ld.so reads /proc/self/exe). */
  origin: string;
}

/** Its headers, read where they lie (the file may be gigabytes); closes the file. */
function elfOf(file: string, opened: OpenFile): ElfInfo {
  try {
    return aboutFile(file, () => readElf(new FileBytes(opened)));
  } finally {
    closeSync(opened.fd);
  }
}

/**
 * A FILE inside the root is read through the root (an absolute symlink in
 * there, like bullseye's /bin/pidof -> /sbin/killall5, means the root's file,
 * not this machine's); any other FILE is read as given. Either way only a
 * regular file, opened without waiting.
 */
function readProgram(fs: RootFs, file: string): Program {
  const abs = resolve(file);
  let dir: string;
  try {
    dir = realpathSync(dirname(abs));
  } catch {
    closeSync(openRegular(file, 'FILE').fd); // throws the error that names the file
    throw new BinfmtError('ENOENT', `${file}: no such directory`, file);
  }
  const inRoot =
    fs.hostRoot === '/'
      ? join(dir, basename(abs))
      : dir === fs.hostRoot || dir.startsWith(fs.hostRoot + '/')
        ? posix.join(dir.slice(fs.hostRoot.length) || '/', basename(abs))
        : null;
  if (inRoot !== null) {
    const got = fs.openRegular(inRoot, file);
    if (!got)
      throw new BinfmtError(
        'ENOENT',
        `${file}: no such file or directory${fs.hostRoot === '/' ? '' : ` inside ${fs.hostRoot}`}`,
        file,
      );
    return { info: elfOf(file, got.file), name: inRoot, origin: posix.dirname(got.resolved) };
  }
  return { info: elfOf(file, openRegular(file, 'FILE')), name: file, origin: dirname(realpathSync(abs)) };
}

export const run: Runner<typeof check> = async (args, opts): Promise<CommandResult> => {
  const [file] = args;
  const { root, ld } = opts;
  const fs = new RootFs(root);
  try {
    const prog = readProgram(fs, file);
    const info = prog.info;
    const libraryPath = opts.libraryPath?.split(':').filter(Boolean);
    const r = checkProgram(fs, info, prog.name, { programDir: prog.origin, ld, libraryPath });
    const text = r.runs
      ? `${file}: runs against the runtime in ${root}${r.interp ? ` (${ld ? 'ld.so' : 'interpreter'} ${r.interp})` : ' (no PT_INTERP: only through a loader)'}`
      : [`${file}: does not run against the runtime in ${root}:`, ...r.missing.map((m) => `  ${m.message}`)].join('\n');
    return result({ file, root, ...r }, text, r.runs ? 0 : 1, r.warnings);
  } finally {
    fs.close();
  }
};

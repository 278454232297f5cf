import { posix, resolve } from 'node:path';
import { readElf } from '../../elf/elf-file.js';
import { checkProgram } from '../../runtime/check.js';
import { RootFs } from '../../runtime/root-fs.js';
import { result, type CommandResult } from '../output.js';
import type { Runner } from '../commands.js';
import { aboutFile, readInputFile } from '../read-input-file.js';

export const run: Runner = async (args, opts): Promise<CommandResult> => {
  const file = args[0] as string;
  const root = (opts.root as string | undefined) ?? '/';
  const info = aboutFile(file, () => readElf(readInputFile(file)));
  const fs = new RootFs(root);
  try {
    // A program that lives inside the root is named (and finds $ORIGIN) by its in-root path.
    const abs = resolve(file);
    const inside = fs.hostRoot === '/' ? abs : abs.startsWith(fs.hostRoot + '/') ? abs.slice(fs.hostRoot.length) : null;
    const libraryPath = typeof opts.libraryPath === 'string' ? opts.libraryPath.split(':').filter(Boolean) : undefined;
    const ld = typeof opts.ld === 'string' ? opts.ld : undefined;
    const r = checkProgram(fs, info, inside ?? file, { programDir: posix.dirname(inside ?? abs), ld, libraryPath });
    const text = r.runs
      ? `${file}: runs against the runtime in ${root}${r.interp ? ` (${ld ? 'ld.so' : 'interpreter'} ${r.interp})` : ' (no PT_INTERP: only through a loader)'}`
      : [`${file}: does not run against the runtime in ${root}:`, ...r.missing.map((m) => `  ${m.message}`)].join('\n');
    return result({ file, root, ...r }, text, r.runs ? 0 : 1, r.warnings);
  } finally {
    fs.close();
  }
};

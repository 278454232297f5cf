import { closeSync, openSync, writeSync } from 'node:fs';
import { BinfmtError } from '../../core/binfmt-error.js';
import { DEFAULT_MARKER_TAG, planMark } from '../../elf/marker.js';
import { isSystemError } from '../../sys/native.js';
import { result, type CommandResult, type Runner } from '../output.js';
import { readInputFile } from '../read-input-file.js';

export const run: Runner = async (args, opts): Promise<CommandResult> => {
  const file = args[0] as string;
  const tag = (opts.tag as string | undefined) ?? DEFAULT_MARKER_TAG;
  const plan = planMark(readInputFile(file), tag, file);
  const write = !plan.already && !opts.dryRun;
  if (write) {
    // In place, 4 bytes: the file keeps its inode, mode and owner.
    try {
      const fd = openSync(file, 'r+');
      try {
        writeSync(fd, plan.bytes, 0, plan.bytes.length, plan.offset);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      // ETXTBSY: the file is running; EACCES/EROFS: not writable here
      if (!isSystemError(e)) throw e;
      throw new BinfmtError(
        e.code,
        `${file}: cannot write the marker: ${e.code}${e.code === 'ETXTBSY' ? ' (the file is being executed)' : ''}`,
        file,
      );
    }
  }
  const hex = `0x${plan.offset.toString(16)}`;
  const text = plan.already
    ? `${file}: already marked ${tag}`
    : `${opts.dryRun ? 'would mark' : 'marked'} ${file} with ${tag} (e_flags at offset ${hex})`;
  return result(
    { file, tag, offset: plan.offset, changed: write, alreadyMarked: plan.already, dryRun: opts.dryRun === true },
    text,
  );
};

import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { BinfmtError } from '../../core/binfmt-error.js';
import { EHDR_SIZE_64 } from '../../elf/header.js';
import { planMark } from '../../elf/marker.js';
import { readAt, withRegular } from '../../sys/bounded-read.js';
import { isSystemError } from '../../sys/native.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type { mark } from '../syntax/elf-file.js';

export const run: Runner<typeof mark> = async (args, opts): Promise<CommandResult> => {
  const [file] = args;
  const { tag } = opts;
  // The ELF header is all a mark needs: e_ident, e_machine and e_flags.
  const head = withRegular(file, 'FILE', (f) => ({ bytes: readAt(f, 0, EHDR_SIZE_64), ino: fstatSync(f.fd).ino }));
  let plan;
  try {
    plan = planMark(head.bytes, tag, file);
  } catch (e) {
    // a malformed header is about the file (a bad --tag is not)
    if (e instanceof BinfmtError && e.code === 'ENOEXEC')
      throw new BinfmtError(e.code, `${file}: ${e.message}`, e.field);
    throw e;
  }
  const write = !plan.already && !opts.dryRun;
  if (write) {
    // In place, 4 bytes: the file keeps its inode, mode and owner.
    try {
      const flags = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
      const fd = openSync(file, flags);
      try {
        const st = fstatSync(fd);
        if (!st.isFile() || st.ino !== head.ino)
          throw new BinfmtError('EAGAIN', `${file}: replaced while being marked; run again`, 'FILE');
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

/**
 * Before `binfmt exec --root DIR` execs anything: the ld.so opened here (--ld,
 * or the program's PT_INTERP outside the jail) must be of the same glibc as
 * the libc.so.6 it will load inside DIR (src/elf/glibc-pair.ts says why).
 * Otherwise the program dies in start-up with glibc's "symbol lookup error
 * ... GLIBC_PRIVATE", which names neither file.
 */
import { closeSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import { readElf } from '../elf/elf-file.js';
import { glibcMismatch, glibcReleaseOf } from '../elf/glibc-pair.js';
import { checkProgram } from '../runtime/check.js';
import { RootFs } from '../runtime/root-fs.js';
import { MAX_BINARY_BYTES, readWhole } from '../sys/bounded-read.js';
import { FileBytes } from '../sys/file-bytes.js';

export function checkLdPair(root: string, program: string, ld: string, libraryPath: string | null): void {
  let ldBytes: Uint8Array;
  let ldReal: string;
  try {
    ldBytes = readWhole(ld, option('ld'), MAX_BINARY_BYTES, 'an ld.so');
    ldReal = realpathSync(ld);
  } catch {
    return; // opening it fails later with its own error
  }
  const fs = new RootFs(root);
  try {
    const prog = fs.openRegular(program);
    if (!prog) return;
    let info;
    try {
      info = readElf(new FileBytes(prog.file));
    } catch {
      return;
    } finally {
      closeSync(prog.file.fd);
    }
    const dirs = libraryPath ? libraryPath.split(':').filter(Boolean) : undefined;
    const r = checkProgram(fs, info, program, { programDir: posix.dirname(prog.resolved), libraryPath: dirs });
    const libc = r.objects.find((o) => o.name === 'libc.so.6');
    const libcFile = libc ? fs.read(libc.path) : null;
    if (!libc || !libcFile) return;
    const libcName = posix.join(root, libc.resolved);
    const why = glibcMismatch(
      { name: ld, realName: ldReal, bytes: ldBytes },
      { name: libcName, realName: libc.resolved, bytes: libcFile.bytes },
    );
    if (!why) return;
    // The root's own ld.so, named as seen from here, when it pairs with that libc.
    const own = info.interp ? fs.read(info.interp) : null;
    const ownRelease = own ? glibcReleaseOf(own.bytes, own.resolved)?.release : undefined;
    const libcRelease = glibcReleaseOf(libcFile.bytes, libc.resolved)?.release;
    const paired = own && ownRelease === libcRelease;
    const instead = paired
      ? [option('ld', posix.join(root, own.resolved)), ` (${root}'s own)`]
      : [`an ld.so of glibc ${libcRelease}`];
    throw new BinfmtError('ELIBBAD', [`${why}; pass `, ...instead, ' instead'], option('ld'));
  } finally {
    fs.close();
  }
}

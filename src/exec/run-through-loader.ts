/**
 * `binfmt exec`: open the loader and ld.so here, optionally chroot into a
 * jail, then replace this process with the loader, exec'd from its fd, which
 * maps ld.so from the inherited fd. Neither ld.so nor the loader has to exist
 * inside the jail (what Plash's ChrootSetuidJail planned: execve(2) needs a file
 * inside the chroot, and a dynamic program names its ld.so by path).
 * Node is multi-threaded; execveat(2) ends every thread, which is what we want.
 */
import { closeSync } from 'node:fs';
import { posix } from 'node:path';
import { BinfmtError, type ErrorField } from '../core/binfmt-error.js';
import { binfmt, option, type Fix } from '../core/fix.js';
import { readElf } from '../elf/elf-file.js';
import { parseElfHeader } from '../elf/header.js';
import { parseProgramHeaders, PT_INTERP } from '../elf/program-headers.js';
import { openRegular, withRegular, type OpenFile } from '../sys/bounded-read.js';
import { FileBytes } from '../sys/file-bytes.js';
import { RootFs } from '../runtime/root-fs.js';
import { isSystemError, native } from '../sys/native.js';
import { loaderArgv, type LoaderCommand } from './loader-command.js';
import { checkLdPair } from './ldso-pair.js';

export interface ExecRequest {
  program: string;
  args: string[];
  ld: string | null;
  libraryPath: string | null;
  argv0: string | null;
  root: string | null;
  loader: string;
}

export interface ExecPlan {
  loader: string;
  /** The ld.so opened on this side of any chroot. */
  ld: string;
  root: string | null;
  argv: string[];
}

/** The ld.so to use: --ld, else the program's PT_INTERP as this side of the chroot sees it. */
function chooseLd(req: ExecRequest): string {
  if (req.ld) return req.ld;
  // The program's headers only, read where they lie; never a FIFO or device.
  let file: OpenFile;
  if (req.root) {
    const fs = new RootFs(req.root);
    try {
      const got = fs.openRegular(req.program, req.program);
      if (!got) throw new BinfmtError('ENOENT', `${req.program}: no such file inside ${req.root}`, 'PROGRAM');
      file = got.file;
    } finally {
      fs.close();
    }
  } else {
    file = openRegular(req.program, 'PROGRAM');
  }
  let interp: string | null;
  try {
    interp = readElf(new FileBytes(file)).interp;
  } catch (e) {
    if (e instanceof BinfmtError) throw new BinfmtError(e.code, `${req.program}: ${e.message}`, 'PROGRAM');
    throw e;
  } finally {
    closeSync(file.fd);
  }
  if (!interp)
    throw new BinfmtError(
      'ENOEXEC',
      [`${req.program} has no PT_INTERP; name the dynamic linker with `, option('ld')],
      option('ld'),
    );
  return interp;
}

/** Opens the loader or ld.so for exec: a regular file, without waiting on a FIFO. */
function openOrFail(file: string, what: string, field: ErrorField): number {
  return openRegular(file, field, `${what} `).fd;
}

/**
 * The ld.so must be one the loader can map (ET_DYN, no PT_INTERP):
 * said here, naming the file and where it came from, rather than by the
 * loader after exec, which only has its fd.
 */
function checkChosenLd(req: ExecRequest, ld: string): void {
  const label: Fix = req.ld ? [option('ld'), ' '] : [`ld.so (PT_INTERP of ${req.program}) `];
  const field = req.ld ? option('ld') : 'PROGRAM';
  withRegular(
    ld,
    field,
    (f) => {
      try {
        const { header: h, reader } = parseElfHeader(new FileBytes(f));
        const interp = parseProgramHeaders(reader, h).some((p) => p.type === PT_INTERP);
        if (h.type !== 'dyn' || interp)
          throw new BinfmtError(
            'ENOEXEC',
            `not an ld.so (${interp ? 'it has a PT_INTERP' : `ELF type ${h.type}, want dyn`})`,
            field,
          );
      } catch (e) {
        if (e instanceof BinfmtError) throw new BinfmtError(e.code, [...label, `${ld}: `, ...e.words], field, e.fix);
        throw e;
      }
    },
    label,
  );
}

/** The plan (for --dry-run and for doing it). `ldFd` is a placeholder until the fd is open. */
export function planExec(req: ExecRequest, ldFd = 3): ExecPlan {
  const ld = chooseLd(req);
  checkChosenLd(req, ld);
  if (req.root) checkLdPair(req.root, req.program, ld, req.libraryPath);
  const cmd: LoaderCommand = {
    ldFd,
    libraryPath: req.libraryPath,
    argv0: req.argv0,
    program: req.program,
    args: req.args,
  };
  return { loader: req.loader, ld, root: req.root, argv: loaderArgv(cmd) };
}

/** Does it: never returns on success. */
export function execThroughLoader(req: ExecRequest): never {
  const n = native();
  const ld = chooseLd(req);
  checkChosenLd(req, ld);
  if (req.root) checkLdPair(req.root, req.program, ld, req.libraryPath);
  const loaderFd = openOrFail(req.loader, 'cannot open the loader', option('loader'));
  const ldFd = openOrFail(ld, 'cannot open ld.so', option('ld'));
  n.clearCloexec(ldFd); // the loader maps ld.so from this fd; the loader's own fd may stay close-on-exec
  if (req.root) {
    try {
      n.chroot(posix.resolve(req.root));
    } catch (e) {
      const fix: Fix | undefined =
        isSystemError(e) && e.code === 'EPERM'
          ? ['chroot needs root, or a user namespace: unshare -r ', binfmt('exec', '...')]
          : undefined;
      throw new BinfmtError(
        isSystemError(e) ? e.code : 'EIO',
        [option('root', req.root), `: ${(e as Error).message}`],
        option('root'),
        fix,
      );
    }
  }
  const env = Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
  const argv = loaderArgv({
    ldFd,
    libraryPath: req.libraryPath,
    argv0: req.argv0,
    program: req.program,
    args: req.args,
  });
  try {
    n.execveat(loaderFd, '', argv, env, n.constants.AT_EMPTY_PATH);
  } catch (e) {
    throw new BinfmtError(
      isSystemError(e) ? e.code : 'EIO',
      `cannot exec the loader ${req.loader}: ${(e as Error).message}`,
      option('loader'),
    );
  }
  throw new BinfmtError('EIO', 'execveat returned'); // unreachable: execveat throws or never returns
}

/**
 * `binfmt exec`: open the loader and ld.so here, optionally chroot into a
 * jail, then replace this process with the loader, exec'd from its fd, which
 * maps ld.so from the inherited fd. Neither ld.so nor the loader has to exist
 * inside the jail (what Plash's ChrootSetuidJail planned: execve(2) needs a file
 * inside the chroot, and a dynamic program names its ld.so by path).
 * Node is multi-threaded; execveat(2) ends every thread, which is what we want.
 */
import { openSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { readElf } from '../elf/elf-file.js';
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
  let bytes: Uint8Array | null;
  if (req.root) {
    const fs = new RootFs(req.root);
    try {
      bytes = fs.read(req.program)?.bytes ?? null;
    } finally {
      fs.close();
    }
    if (!bytes) throw new BinfmtError('ENOENT', `${req.program}: no such file inside ${req.root}`, 'PROGRAM');
  } else {
    try {
      bytes = new Uint8Array(readFileSync(req.program));
    } catch (e) {
      throw new BinfmtError(isSystemError(e) ? e.code : 'EIO', `${req.program}: ${(e as Error).message}`, 'PROGRAM');
    }
  }
  let interp: string | null;
  try {
    interp = readElf(bytes).interp;
  } catch (e) {
    if (e instanceof BinfmtError) throw new BinfmtError(e.code, `${req.program}: ${e.message}`, 'PROGRAM');
    throw e;
  }
  if (!interp)
    throw new BinfmtError('ENOEXEC', `${req.program} has no PT_INTERP; name the dynamic linker with --ld`, '--ld');
  return interp;
}

function openOrFail(file: string, what: string, field: string): number {
  try {
    return openSync(file, 'r');
  } catch (e) {
    throw new BinfmtError(isSystemError(e) ? e.code : 'EIO', `${what} ${file}: ${(e as Error).message}`, field);
  }
}

/** The plan (for --dry-run and for doing it). `ldFd` is a placeholder until the fd is open. */
export function planExec(req: ExecRequest, ldFd = 3): ExecPlan {
  const ld = chooseLd(req);
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
  if (req.root) checkLdPair(req.root, req.program, ld, req.libraryPath);
  const loaderFd = openOrFail(req.loader, 'cannot open the loader', '--loader');
  const ldFd = openOrFail(ld, 'cannot open ld.so', '--ld');
  n.clearCloexec(ldFd); // the loader maps ld.so from this fd; the loader's own fd may stay close-on-exec
  if (req.root) {
    try {
      n.chroot(posix.resolve(req.root));
    } catch (e) {
      const hint =
        isSystemError(e) && e.code === 'EPERM'
          ? ' (chroot needs root, or a user namespace: unshare -r binfmt exec ...)'
          : '';
      throw new BinfmtError(
        isSystemError(e) ? e.code : 'EIO',
        `--root ${req.root}: ${(e as Error).message}${hint}`,
        '--root',
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
      '--loader',
    );
  }
  throw new BinfmtError('EIO', 'execveat returned'); // unreachable: execveat throws or never returns
}

/**
 * The only importer of the native addon (build/Release/binfmt_native.node,
 * built by `npm run build:native`). It holds just the syscalls Node lacks;
 * each throws a Node-style error (code, errno, syscall, path) on failure.
 * Loaded lazily, so commands that do not need it start without it.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { buildDir } from './package-files.js';

export interface NativeConstants {
  AT_FDCWD: number;
  AT_EMPTY_PATH: number;
  O_PATH: number;
  O_DIRECTORY: number;
  O_CLOEXEC: number;
  RESOLVE_IN_ROOT: number;
  RESOLVE_NO_MAGICLINKS: number;
  MS_BIND: number;
  MS_REC: number;
  MS_RDONLY: number;
  MS_PRIVATE: number;
  MS_SLAVE: number;
  MNT_DETACH: number;
  LOCK_SH: number;
  LOCK_EX: number;
  LOCK_NB: number;
  LOCK_UN: number;
}

export interface Native {
  /** Clears FD_CLOEXEC so the fd survives exec. */
  clearCloexec(fd: number): void;
  /**
   * execveat(2); replaces the process, throws only on failure. First gives back
   * what Node took: fds 0-2 inheritable and blocking, SIGPIPE/SIGXFSZ default.
   */
  execveat(dirfd: number, path: string, argv: string[], env: string[], flags: number): never;
  /** fexecve(3); as execveat(fd, "", ..., AT_EMPTY_PATH). */
  fexecve(fd: number, argv: string[], env: string[]): never;
  /** chroot(2) followed by chdir("/"). */
  chroot(path: string): void;
  mount(source: string, target: string, fstype: string, flags: number, data: string): void;
  umount2(target: string, flags: number): void;
  /** openat2(2) with open_how {flags, mode, resolve}; returns the fd. */
  openat2(dirfd: number, path: string, flags: number, mode: number, resolve: number): number;
  /** flock(2) on `fd` (LOCK_EX, LOCK_SH, LOCK_UN, with LOCK_NB: EAGAIN instead of waiting). */
  flock(fd: number, op: number): void;
  /**
   * In a forked single-threaded child (setns refuses a multithreaded caller):
   * enter the user namespace of userFd (-1: stay in this one) and the mount
   * namespace of mntFd, take rootFd (then `subroot` below it, '' for none) as
   * the root, get that user namespace's binfmt_misc instance, attach it at
   * `mountpoint` (relative to that root) when `attach` and it is not there
   * yet, and write `data` to its file `writeFile` with one write(2) ('' for
   * none). Returns the instance's mount fd for reading; throws with `syscall`
   * naming the failing step (native/addon/ns-binfmt.h).
   */
  nsBinfmt(request: {
    userFd: number;
    mntFd: number;
    rootFd: number;
    subroot: string;
    mountpoint: string;
    attach: boolean;
    writeFile: string;
    data: Buffer;
  }): { attached: boolean; wasMounted: boolean; mountFd: number };
  constants: NativeConstants;
}

/** The addon in the package's build output (src/sys/package-files.ts). */
export function addonPath(): string {
  return join(buildDir(), 'binfmt_native.node');
}

let cached: Native | undefined;

/** The addon, loaded on first use; a clear ENOENT BinfmtError if it has not been built. */
export function native(): Native {
  if (cached) return cached;
  const path = addonPath();
  if (!existsSync(path)) {
    throw new BinfmtError('ENOENT', `the native addon is not built (${path} is missing); run \`npm run build:native\``);
  }
  cached = createRequire(import.meta.url)(path) as Native;
  return cached;
}

/** A Node-style system error (from the addon or from node:fs). */
export interface SystemError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
}

export function isSystemError(e: unknown): e is SystemError {
  return (
    e instanceof Error && typeof (e as SystemError).code === 'string' && typeof (e as SystemError).syscall === 'string'
  );
}

/**
 * Reading files inside a root directory the way a chroot would see them:
 * every lookup goes through openat2(RESOLVE_IN_ROOT), so absolute symlinks
 * (Debian's /lib64/ld-linux-x86-64.so.2 → /lib/x86_64-linux-gnu/...) and `..`
 * resolve inside the root and never escape to the host.
 */
import { closeSync, constants as fsc, openSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import { readToEnd, regularFd, type OpenFile } from '../sys/bounded-read.js';
import { isSystemError, native } from '../sys/native.js';

/** Lookup failures that mean "not there" rather than a real error. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EISDIR']);

/**
 * Libraries and ld.so are read whole (their versions, glibc's release
 * banner). The largest shared libraries of a distribution (libLLVM, libxul)
 * are ~150 MB; a file beyond 1 GiB is refused rather than held in memory.
 */
export const MAX_LIBRARY_BYTES = 1 << 30;

export interface OpenedInRoot {
  file: OpenFile;
  resolved: string;
}

export class RootFs {
  private readonly dirfd: number;
  readonly hostRoot: string;

  constructor(root: string) {
    try {
      this.hostRoot = realpathSync(root);
      this.dirfd = openSync(this.hostRoot, fsc.O_RDONLY | fsc.O_DIRECTORY);
    } catch (e) {
      const code = isSystemError(e) ? e.code : 'EINVAL';
      throw new BinfmtError(code, [option('root', root), `: ${(e as Error).message}`], option('root'));
    }
  }

  close(): void {
    closeSync(this.dirfd);
  }

  private open(path: string, flags: number): number | null {
    const n = native();
    try {
      return n.openat2(this.dirfd, path, flags | n.constants.O_CLOEXEC, 0, n.constants.RESOLVE_IN_ROOT);
    } catch (e) {
      if (isSystemError(e) && ABSENT.has(e.code)) return null;
      throw e;
    }
  }

  /** The in-root path a file resolves to, from the kernel's own record of the fd. */
  private inRoot(fd: number): string {
    const host = readlinkSync(`/proc/self/fd/${fd}`);
    if (this.hostRoot === '/') return host;
    return host === this.hostRoot
      ? '/'
      : host.startsWith(this.hostRoot + '/')
        ? host.slice(this.hostRoot.length)
        : host;
  }

  /**
   * Opens a regular file without waiting (a FIFO has no writer; a device is
   * no program), for reading where its headers point; null when it is not
   * there. Anything but a regular file is refused naming the host path. The
   * caller closes `file.fd`. `resolved` is its final in-root path.
   */
  openRegular(path: string, shownAs = this.hostRoot === '/' ? path : this.host(path)): OpenedInRoot | null {
    const fd = this.open(path, fsc.O_RDONLY | fsc.O_NONBLOCK | fsc.O_NOCTTY);
    if (fd === null) return null;
    const file = regularFd(fd, shownAs, path);
    try {
      return { file, resolved: this.inRoot(fd) };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Reads a regular file whole (at most MAX_LIBRARY_BYTES); null when it is not there. */
  read(path: string): { bytes: Uint8Array; resolved: string } | null {
    let got;
    try {
      got = this.openRegular(path);
    } catch (e) {
      if (e instanceof BinfmtError && e.code === 'EISDIR') return null; // as before: a directory is no library
      throw e;
    }
    if (!got) return null;
    try {
      if (got.file.size > MAX_LIBRARY_BYTES)
        throw new BinfmtError(
          'EFBIG',
          `${got.file.path}: ${got.file.size} bytes, more than the ${MAX_LIBRARY_BYTES} a library may have`,
          path,
        );
      const bytes = readToEnd(got.file.fd, got.file.path, path, MAX_LIBRARY_BYTES, 'a library');
      return { bytes, resolved: got.resolved };
    } finally {
      closeSync(got.file.fd);
    }
  }

  /** Names in a directory; [] when it is not there. */
  list(path: string): string[] {
    const fd = this.open(path, fsc.O_RDONLY | fsc.O_DIRECTORY);
    if (fd === null) return [];
    try {
      return readdirSync(`/proc/self/fd/${fd}`).sort();
    } finally {
      closeSync(fd);
    }
  }

  /** The host path of an in-root path (for messages and for passing on). */
  host(path: string): string {
    return posix.join(this.hostRoot, path);
  }
}

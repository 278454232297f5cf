/**
 * Reading files inside a root directory the way a chroot would see them:
 * every lookup goes through openat2(RESOLVE_IN_ROOT), so absolute symlinks
 * (Debian's /lib64/ld-linux-x86-64.so.2 → /lib/x86_64-linux-gnu/...) and `..`
 * resolve inside the root and never escape to the host.
 */
import { closeSync, constants as fsc, openSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { isSystemError, native } from '../sys/native.js';

/** Lookup failures that mean "not there" rather than a real error. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EISDIR']);

export class RootFs {
  private readonly dirfd: number;
  readonly hostRoot: string;

  constructor(root: string) {
    try {
      this.hostRoot = realpathSync(root);
      this.dirfd = openSync(this.hostRoot, fsc.O_RDONLY | fsc.O_DIRECTORY);
    } catch (e) {
      throw new BinfmtError(isSystemError(e) ? e.code : 'EINVAL', `--root ${root}: ${(e as Error).message}`, '--root');
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

  /** Reads a regular file; null when it is not there. `resolved` is its final in-root path. */
  read(path: string): { bytes: Uint8Array; resolved: string } | null {
    const fd = this.open(path, fsc.O_RDONLY);
    if (fd === null) return null;
    try {
      return { bytes: readFileSync(fd), resolved: this.inRoot(fd) };
    } catch (e) {
      if (isSystemError(e) && ABSENT.has(e.code)) return null;
      throw e;
    } finally {
      closeSync(fd);
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

/**
 * Entering a process's namespaces: the binfmt_misc instance of PID's user
 * namespace (a container's), reached through PID's user and mount namespaces
 * (src/kernel/instance.ts opens it as the kernel adapter).
 *
 * The namespace work runs in a forked single-threaded child inside the addon
 * (native/addon/ns-binfmt.h: setns into a user namespace refuses a
 * multithreaded caller, and Node is one). The child takes PID's root, gets the
 * namespace's instance (the kernel keys instances by user namespace, so this
 * is the existing one when there is one), attaches it at PID's
 * /proc/sys/fs/binfmt_misc when it is not there yet, and does each write
 * itself: with flag F the kernel opens the interpreter in the writer's root,
 * so an interpreter path is a path inside the container, and /proc/self/exe
 * of what it runs resolves there. Reads go through the instance's mount fd,
 * which the child hands back.
 *
 * Refused, with one line: PID missing, PID in the initial user namespace (its
 * instance is the machine's own), a kernel before 6.7 (no instance per user
 * namespace), a process the caller may not enter.
 */
import { closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { release } from 'node:os';
import { BinfmtError } from '../core/binfmt-error.js';
import { HOST_ROOT_IN_CONTAINER } from '../core/oci-hook.js';
import { isSystemError, native } from '../sys/native.js';
import { kernelHas, USERNS_INSTANCES } from '../core/kernel-rules.js';
import { parseKernelVersion } from '../core/kernel-version.js';
import { runningKernel } from './running-kernel.js';

/**
 * The inode number of the initial user namespace's nsfs file
 * (PROC_USER_INIT_INO = 0xEFFFFFFD, include/linux/proc_ns.h, fixed since 3.8).
 */
export const INITIAL_USER_NS_INO = 0xeffffffd;

/** Where PID's instance is attached, relative to PID's root. */
export const PID_MOUNTPOINT = 'proc/sys/fs/binfmt_misc';

export interface PidTarget {
  pid: number;
  /** A directory below PID's root to use as its root (a runtime's root file system before pivot_root); '' for none. */
  subroot?: string;
}

export interface PidInstance {
  /** Where to read the instance from in this process (/proc/self/fd/N). */
  readPath: string;
  /** Whether this call attached the instance (it was not mounted at PID's /proc/sys/fs/binfmt_misc). */
  attached: boolean;
  /** Writes bytes to a file of the instance with one write(2), from PID's root. */
  write(file: string, bytes: Uint8Array): void;
  close(): void;
}

/** Whether kernel release `rel` (default: the running kernel) has a binfmt_misc instance per user namespace. */
export function kernelSupportsPid(rel?: string): boolean {
  const parsed = rel === undefined ? null : parseKernelVersion(rel);
  const version = parsed === null ? runningKernel() : parsed.ok ? parsed.version : undefined;
  return kernelHas(USERNS_INSTANCES, version);
}

/** The field of an error about the process itself (gone, not enterable, the machine's own user namespace). */
export const PROCESS_FIELD = 'pid';

/** An error about process PID: its words are the process, then what is wrong with it (`: no such process`). */
function processError(code: string, pid: number, detail: string): BinfmtError {
  return new BinfmtError(code, [`process ${pid}`, `: ${detail}`], PROCESS_FIELD);
}

function refuse(pid: number, e: unknown, what: string): BinfmtError {
  const code = isSystemError(e) ? e.code : 'EIO';
  if (code === 'ENOENT' || code === 'ESRCH') return processError('ESRCH', pid, 'no such process');
  if (code === 'EACCES' || code === 'EPERM')
    return processError('EPERM', pid, `you may not enter its namespaces (${code} on ${what}): it is not yours`);
  return processError(code, pid, `${what}: ${(e as Error).message}`);
}

/** Whether this process is in the machine's initial user namespace (false when it cannot tell). */
export function inInitialUserNs(): boolean {
  try {
    return statSync('/proc/self/ns/user').ino === INITIAL_USER_NS_INO;
  } catch {
    return false;
  }
}

/** The checks that need no namespace change: kernel, process, initial user namespace. */
export function checkPid(pid: number): { ownUserNs: boolean } {
  if (!kernelSupportsPid()) {
    const want = USERNS_INSTANCES.mainline;
    throw new BinfmtError(
      'ENOSYS',
      `a binfmt_misc instance per user namespace needs Linux ${want} or later; this is ${release()}`,
      'kernel',
    );
  }
  let theirs: number;
  try {
    statSync(`/proc/${pid}`);
    theirs = statSync(`/proc/${pid}/ns/user`).ino;
  } catch (e) {
    throw refuse(pid, e, `/proc/${pid}/ns/user`);
  }
  if (theirs === INITIAL_USER_NS_INO) {
    throw processError(
      'EPERM',
      pid,
      "that process is in the initial user namespace, whose binfmt_misc is the machine's own; refusing",
    );
  }
  return { ownUserNs: theirs === statSync('/proc/self/ns/user').ino };
}

/**
 * Opens PID's instance. attach=false (reading, --dry-run) leaves PID's mounts
 * as they were: an instance that did not exist is then an empty one that
 * vanishes again.
 */
export function openPidInstance(target: PidTarget, opts: { attach: boolean }): PidInstance {
  const { pid } = target;
  const { ownUserNs } = checkPid(pid);
  const n = native();
  // Node opens every fd close-on-exec.
  const fds: number[] = [];
  const open = (path: string, flags: number): number => {
    try {
      const fd = openSync(path, flags);
      fds.push(fd);
      return fd;
    } catch (e) {
      throw refuse(pid, e, path);
    }
  };
  const closeAll = (): void => fds.splice(0).forEach((fd) => closeSync(fd));
  try {
    const userFd = ownUserNs ? -1 : open(`/proc/${pid}/ns/user`, constants.O_RDONLY);
    const mntFd = open(`/proc/${pid}/ns/mnt`, constants.O_RDONLY);
    const rootFd = open(`/proc/${pid}/root`, n.constants.O_PATH | n.constants.O_DIRECTORY);
    const where = { userFd, mntFd, rootFd, subroot: target.subroot ?? '', mountpoint: PID_MOUNTPOINT };
    const call = (attach: boolean, file: string, data: Uint8Array) => {
      try {
        return n.nsBinfmt({ ...where, attach, writeFile: file, data: Buffer.from(data) });
      } catch (e) {
        throw explainStep(pid, e, file);
      }
    };
    const first = call(opts.attach, '', new Uint8Array());
    return {
      readPath: `/proc/self/fd/${first.mountFd}`,
      attached: first.attached,
      write(file, bytes) {
        const r = call(false, file, bytes);
        closeSync(r.mountFd);
      },
      close() {
        closeSync(first.mountFd);
        closeAll();
      },
    };
  } catch (e) {
    closeAll();
    throw e;
  }
}

/** Errors of the child's steps, about the process; the write's errno goes on to the adapter. */
function explainStep(pid: number, e: unknown, file: string): Error {
  if (!isSystemError(e)) return e as Error;
  const step = e.syscall;
  if (step === 'setns-user' || step === 'setns-mnt' || step === 'root') {
    if (e.code === 'EPERM' || e.code === 'EACCES') return refuse(pid, e, step);
    return processError(e.code, pid, `cannot enter its namespaces (${step}: ${e.code})`);
  }
  if (step === 'mountpoint')
    return processError(e.code, pid, `it has no /${PID_MOUNTPOINT} to mount binfmt_misc on (${e.code})`);
  if (step === 'fsopen' || step === 'fsmount' || step === 'attach') {
    return processError(e.code, pid, `cannot mount its user namespace's binfmt_misc (${step}: ${e.code})`);
  }
  // open/write of an instance file: the adapter explains these like its own writes.
  const err = new Error(`${e.code}: ${step} ${file}`) as NodeJS.ErrnoException;
  err.code = e.code;
  return err;
}

/**
 * The path under which PID sees the host file `hostPath` (from PID's root, or
 * from `subroot` below it): through the host's root at /run/host, or at the
 * same path; null when neither is that very file (same device and inode).
 */
export function visibleInside(pid: number, subroot: string, hostPath: string): string | null {
  // A file not written yet (--dry-run) is looked for through its nearest existing directory.
  let probe = hostPath;
  let tail = '';
  while (!existsSync(probe) && dirname(probe) !== probe) {
    tail = `/${basename(probe)}${tail}`;
    probe = dirname(probe);
  }
  const want = statSync(probe);
  const root = `/proc/${pid}/root${subroot.replace(/\/+$/, '')}`;
  const at = probe === '/' ? '' : probe;
  for (const candidate of [`${HOST_ROOT_IN_CONTAINER}${at}`, probe]) {
    try {
      const st = statSync(root + candidate);
      if (st.dev === want.dev && st.ino === want.ino) return (candidate === '/' ? '' : candidate) + tail;
    } catch {
      /* not there: try the next */
    }
  }
  return null;
}

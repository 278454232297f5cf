/**
 * The binfmt_misc instance a command acts on, opened as the kernel adapter:
 * a mount in this process's namespaces (the machine's own at
 * /proc/sys/fs/binfmt_misc by default, or a private one), or the instance of
 * a process's user namespace (a container's), reached through its
 * namespaces (src/kernel/pid-instance.ts).
 *
 * Every command path opens its instance here, so an instance has one name
 * in messages (its label) and one key for the ownership state and its lock.
 */
import { existsSync } from 'node:fs';
import { BinfmtMisc, DEFAULT_MOUNT } from './binfmt-misc.js';
import { openPidInstance, PID_MOUNTPOINT, type PidInstance } from './pid-instance.js';

/** Which instance, and how far opening it may go. */
export interface InstanceRequest {
  /** A mount of this process's (default /proc/sys/fs/binfmt_misc); ignored with `pid`. */
  mount?: string | null;
  /** The instance of this process's user namespace instead. */
  pid?: number | null;
  /** Whether a command that registers may attach PID's instance at PID's /proc/sys/fs/binfmt_misc where it is missing. */
  attach: boolean;
  /**
   * A directory below PID's root whose proc/sys/fs/binfmt_misc the instance
   * is attached at (an OCI runtime's root file system before pivot_root);
   * '' (default) for PID's root itself.
   */
  subroot?: string;
  /**
   * The directory below PID's root that writes are made from, which is where
   * the kernel opens an F entry's interpreter; default `subroot`.
   */
  writeRoot?: string;
  /**
   * Read an instance already attached at PID's /proc/sys/fs/binfmt_misc
   * through /proc/PID/root, which needs no namespace change, and enter the
   * namespaces only to write (for a process whose mount there only binfmt
   * makes: podman's pause process). Falls back to entering when nothing is
   * attached there.
   */
  readAttached?: boolean;
}

/** An opened instance, and how to let go of it. */
export interface OpenedInstance {
  kernel: BinfmtMisc;
  /** The process whose instance it is, or null for a mount of this process's. */
  pid: number | null;
  /** Whether opening it attached the instance at the process's /proc/sys/fs/binfmt_misc. */
  attached: boolean;
  /** A path that names the instance steadily: the ownership state and its lock are keyed by it. */
  key: string;
  /** How messages name it. */
  label: string;
  close(): void;
}

/** The ownership key of an instance: the mount, or where PID's instance is attached as seen from here. */
export function instanceKey(req: { mount?: string | null; pid?: number | null }): string {
  return req.pid == null ? (req.mount ?? DEFAULT_MOUNT) : `/proc/${req.pid}/root/${PID_MOUNTPOINT}`;
}

/** How messages name PID's instance (a mount is named by its path). */
export function pidInstanceLabel(pid: number): string {
  return `the binfmt_misc of process ${pid}'s user namespace`;
}

/** Where this process sees the paths that writes from `dir` below PID's root resolve in. */
function rootOf(pid: number, dir: string): string {
  return `/proc/${pid}/root${dir.replace(/\/+$/, '')}`;
}

export function openInstance(req: InstanceRequest): OpenedInstance {
  if (req.pid == null) {
    const mount = req.mount ?? DEFAULT_MOUNT;
    const kernel = new BinfmtMisc(mount);
    return { kernel, pid: null, attached: false, key: instanceKey(req), label: kernel.label, close: () => {} };
  }
  const pid = req.pid;
  const subroot = req.subroot ?? '';
  const writeRoot = req.writeRoot ?? subroot;
  const label = pidInstanceLabel(pid);
  const key = instanceKey(req);
  const writers: PidInstance[] = [];
  const close = (): void => writers.splice(0).forEach((w) => w.close());
  // A writer of its own, opened at the first write, when writes come from elsewhere than the reads.
  let writer: PidInstance | null = null;
  const lazyWrite = (attach: boolean) => (file: string, bytes: Uint8Array) => {
    if (!writer) writers.push((writer = openPidInstance({ pid, subroot: writeRoot }, { attach })));
    writer.write(file, bytes);
  };
  const at = `${rootOf(pid, subroot)}/${PID_MOUNTPOINT}`;
  if (req.readAttached && existsSync(`${at}/status`)) {
    const kernel = new BinfmtMisc(at, { label, write: lazyWrite(req.attach), root: rootOf(pid, writeRoot) });
    return { kernel, pid, attached: false, key, label, close };
  }
  const inst = openPidInstance({ pid, subroot }, { attach: req.attach });
  writers.push(inst);
  const write = writeRoot === subroot ? (f: string, b: Uint8Array) => inst.write(f, b) : lazyWrite(false);
  const kernel = new BinfmtMisc(inst.readPath, { label, write, root: rootOf(pid, writeRoot) });
  return { kernel, pid, attached: inst.attached, key, label, close };
}

/**
 * The private binfmt_misc instance every test, demo and experiment uses.
 *
 * Since Linux 6.7 (commit 21ca59b365c0) binfmt_misc is FS_USERNS_MOUNT and an
 * instance is keyed by user namespace: a process in a new user+mount namespace
 * that mounts binfmt_misc gets an empty instance of its own, and every exec in
 * that namespace consults only it. Nothing reaches the machine's own entries,
 * and everything vanishes with the namespace.
 *
 * Node is multi-threaded, so it cannot unshare(CLONE_NEWUSER) itself; util-linux
 * `unshare` does it in a fresh process, then a tiny shell mounts the instance
 * and execs the command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants, release } from 'node:os';
import { kernelHas, USERNS_INSTANCES } from '../core/kernel-rules.js';
import { DEFAULT_MOUNT } from './binfmt-misc.js';
import { runningKernel } from './running-kernel.js';
import { privatePlacesScript } from './sandbox-places.js';

/**
 * Kernel features a sandbox needs that no package can add: when one is
 * missing, tests that need a sandbox skip (and CI accepts that skip).
 */
export type SandboxKernelFeature = 'userns-binfmt-misc' | 'user-namespaces' | 'binfmt-misc';

export interface SandboxSupport {
  ok: boolean;
  reason: string | null;
  /** Set when the reason is a kernel feature this machine lacks. */
  missingKernelFeature?: SandboxKernelFeature;
}

/** Why a sandbox cannot be made here, or ok. Cheap checks first, then one real try. */
export function sandboxSupport(): SandboxSupport {
  if (!kernelHas(USERNS_INSTANCES, runningKernel())) {
    const reason = `kernel ${release()} has no per-user-namespace binfmt_misc instances (needs ${USERNS_INSTANCES.mainline} or later)`;
    return { ok: false, reason, missingKernelFeature: 'userns-binfmt-misc' };
  }
  try {
    if (readFileSync('/proc/sys/user/max_user_namespaces', 'utf8').trim() === '0') {
      const reason = 'user namespaces are disabled (/proc/sys/user/max_user_namespaces is 0)';
      return { ok: false, reason, missingKernelFeature: 'user-namespaces' };
    }
  } catch {
    /* not fatal: the real try below decides */
  }
  if (!existsSync(DEFAULT_MOUNT)) {
    const reason = `${DEFAULT_MOUNT} does not exist (is the binfmt_misc module loaded?)`;
    return { ok: false, reason, missingKernelFeature: 'binfmt-misc' };
  }
  const probe = spawnSync('unshare', sandboxArgv(['true']).slice(1), { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `cannot run unshare (util-linux): ${probe.error.message}` };
  if (probe.status !== 0) {
    return {
      ok: false,
      reason: `cannot create a user+mount namespace with its own binfmt_misc: ${probe.stderr.trim() || `exit ${probe.status}`}`,
    };
  }
  return { ok: true, reason: null };
}

/**
 * How many ids a multi-user sandbox maps (0..65535 onto the same ids outside):
 * enough for root and ordinary users. newuidmap grants only what /etc/subuid
 * and /etc/subgid give the caller (scripts/install-deps.sh adds root:0:65536).
 */
export const MAPPED_IDS = 65536;

export interface SandboxOptions {
  /** Where to mount the instance (default /proc/sys/fs/binfmt_misc). */
  mountPoint?: string;
  /**
   * Map ids 0..MAPPED_IDS-1 through newuidmap/newgidmap (package uidmap)
   * instead of only the caller as root, so that the command can drop to an
   * ordinary user (setpriv) inside the namespace.
   */
  mapUsers?: boolean;
  /** Say on stderr what the sandbox made private (binfmt sandbox does; tests do not). */
  announce?: boolean;
  /** Overlay binfmt's own places (default true); a command that writes none of them skips the mounts. */
  privatePlaces?: boolean;
}

/**
 * POSIX sh that refuses, as a shell would, a command that cannot be run: a
 * failed `exec` would otherwise exit with sh's own message, which names the
 * script's line (`/proc/sys/fs/binfmt_misc: 14: exec: ...`), not binfmt.
 * 127: no such file, or no such command on PATH; 126: not executable.
 */
const COMMAND_CHECK = [
  'case $1 in',
  '  */*) [ -e "$1" ] || { echo "binfmt sandbox: $1: not found" >&2; exit 127; }',
  '       [ -d "$1" ] && { echo "binfmt sandbox: $1: is a directory" >&2; exit 126; }',
  '       [ -x "$1" ] || { echo "binfmt sandbox: $1: permission denied" >&2; exit 126; } ;;',
  '  *) command -v "$1" >/dev/null 2>&1 || { echo "binfmt sandbox: $1: not found" >&2; exit 127; } ;;',
  'esac',
].join('\n');

/** The status a shell gives a command: its own exit status, or 128 + the signal that killed it. */
export function shellStatus(status: number | null, signal: NodeJS.Signals | null): number {
  if (status !== null) return status;
  const n = signal === null ? undefined : constants.signals[signal];
  return 128 + (n ?? 0);
}

/**
 * argv (starting with "unshare") that runs `cmd` in a new user+mount namespace,
 * mapped to root, with a fresh binfmt_misc mounted at the mount point and
 * binfmt's other places private (sandbox-places.ts).
 */
export function sandboxArgv(cmd: string[], opts: SandboxOptions = {}): string[] {
  const script = [
    'mount -t binfmt_misc -o nosuid,nodev,noexec binfmt_misc "$0" || ' +
      '{ echo "binfmt sandbox: cannot mount binfmt_misc at $0" >&2; exit 125; }',
    ...(opts.privatePlaces === false ? [] : [privatePlacesScript(opts.announce === true)]),
    COMMAND_CHECK,
    'exec "$@"',
  ].join('\n');
  const ids = opts.mapUsers ? [`--map-users=0,0,${MAPPED_IDS}`, `--map-groups=0,0,${MAPPED_IDS}`] : ['--map-root-user'];
  return [
    'unshare',
    '--user',
    ...ids,
    '--mount',
    '--propagation',
    'private',
    '--',
    'sh',
    '-c',
    script,
    opts.mountPoint ?? DEFAULT_MOUNT,
    ...cmd,
  ];
}

/** Why a multi-user sandbox (SandboxOptions.mapUsers) cannot be made here, or ok. */
export function multiUserSandboxSupport(): SandboxSupport {
  const base = sandboxSupport();
  if (!base.ok) return base;
  const probe = spawnSync('unshare', sandboxArgv(['true'], { mapUsers: true }).slice(1), { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `cannot run unshare (util-linux): ${probe.error.message}` };
  if (probe.status !== 0) {
    const why = probe.stderr.trim() || `exit ${probe.status}`;
    return {
      ok: false,
      reason: `cannot map ids 0..${MAPPED_IDS - 1} into a user namespace (needs newuidmap from package uidmap and root:0:${MAPPED_IDS} in /etc/subuid and /etc/subgid): ${why}`,
    };
  }
  return { ok: true, reason: null };
}

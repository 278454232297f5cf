/**
 * `--podman`: the user namespace every rootless podman container of the
 * caller runs in. podman keeps it (and a mount namespace) alive in its pause
 * process, whose pid podman 4 writes to <runtime dir>/libpod/tmp/pause.pid
 * (the runtime dir: $XDG_RUNTIME_DIR, else /run/user/UID when it exists, else
 * $TMPDIR/podman-run-UID). When that file names no live process of the
 * caller's, `podman unshare` (which starts the pause process the way podman
 * always does) reports its namespaces, and the pause process is the oldest
 * of the caller's processes in both: podman's database may name another
 * runtime directory than the environment.
 *
 * The binfmt_misc instance registered there through the pause process
 * (--pid PAUSE) belongs to that user namespace: each of the user's rootless
 * containers sees its entries (a container with its own user namespace, such
 * as --userns keep-id, inherits them), the machine does not. They last as long
 * as the pause process (podman system migrate, or a reboot, ends it; binfmt
 * emulate --podman then registers them again in the new one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';

/** `podman unshare true` takes well under a second; a hung podman should not hang binfmt. */
const PODMAN_TIMEOUT_MS = 60_000;

/** The runtime directory podman picks: $XDG_RUNTIME_DIR, else /run/user/UID when it exists, else $TMPDIR/podman-run-UID. */
export function podmanRuntimeDir(uid = process.getuid?.() ?? 0, env = process.env): string {
  if (env.XDG_RUNTIME_DIR) return env.XDG_RUNTIME_DIR;
  if (existsSync(`/run/user/${uid}`)) return `/run/user/${uid}`;
  return join(env.TMPDIR || tmpdir(), `podman-run-${uid}`);
}

/** A process of the caller's that runs (a killed one stays a zombie, state Z, until it is reaped). */
function ownLiveProcess(pid: number): boolean {
  try {
    if (statSync(`/proc/${pid}`).uid !== (process.getuid?.() ?? 0)) return false;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** The pid in pause.pid of podman's runtime directory, when that process is alive and the caller's; else null. */
export function livePausePid(dir = podmanRuntimeDir()): number | null {
  let text: string;
  try {
    text = readFileSync(join(dir, 'libpod', 'tmp', 'pause.pid'), 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && ownLiveProcess(pid) ? pid : null;
}

/** The clock tick a process started at (field 22 of /proc/PID/stat), to pick the oldest. */
function startTime(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return Infinity;
  }
}

/**
 * The oldest of the caller's processes in podman's user and mount namespaces
 * (as `podman unshare` reports them): the pause process. For a podman whose
 * database names another runtime directory than the environment does.
 */
function pauseByNamespaces(user: string, mnt: string): number | null {
  const uid = process.getuid?.() ?? 0;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (statSync(`/proc/${name}`).uid !== uid) continue;
      if (readlinkSync(`/proc/${name}/ns/user`) === user && readlinkSync(`/proc/${name}/ns/mnt`) === mnt)
        found.push(Number(name));
    } catch {
      /* gone meanwhile, or not ours to look at */
    }
  }
  return found.sort((a, b) => startTime(a) - startTime(b))[0] ?? null;
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, cmd)));
}

/**
 * The pid of the caller's podman pause process, started with `podman unshare
 * true` when it is not running (not on a dry run: then null). Refused as root
 * (rootful containers run in the machine's own user namespace) and without
 * podman on PATH.
 */
export function podmanPausePid(opts: { start: boolean }): number | null {
  if ((process.getuid?.() ?? 0) === 0) {
    throw new BinfmtError(
      'EPERM',
      [
        option('podman'),
        " is for rootless podman: as root, podman's containers run in the machine's own user namespace, whose " +
          'binfmt_misc is the default one',
      ],
      option('podman'),
      ['run without ', option('podman')],
    );
  }
  if (!onPath('podman'))
    throw new BinfmtError('ENOENT', [option('podman'), ': podman is not on PATH'], option('podman'));
  const pid = livePausePid();
  if (pid !== null || !opts.start) return pid;
  const r = spawnSync('podman', ['unshare', 'readlink', '/proc/self/ns/user', '/proc/self/ns/mnt'], {
    encoding: 'utf8',
    timeout: PODMAN_TIMEOUT_MS,
  });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim().split('\n').pop() || `exit ${r.status}`;
    throw new BinfmtError('ESRCH', [option('podman'), `: podman unshare failed: ${why}`], option('podman'));
  }
  const [user, mnt] = r.stdout.trim().split('\n');
  const started = livePausePid() ?? (user && mnt ? pauseByNamespaces(user, mnt) : null);
  if (started === null)
    throw new BinfmtError(
      'ESRCH',
      [option('podman'), ': podman unshare ran, but no process of yours holds its namespaces'],
      option('podman'),
    );
  return started;
}

/**
 * `--podman`: the user namespace every rootless podman container of the
 * caller runs in. podman keeps it (and a mount namespace) alive in its pause
 * process, whose pid podman 4 writes to <runtime dir>/libpod/tmp/pause.pid
 * (the runtime dir: $XDG_RUNTIME_DIR, else /run/user/UID when it exists, else
 * $TMPDIR/podman-run-UID). `podman unshare` joins that namespace, starting
 * the pause process first when it is not running; so `podman unshare true`
 * brings it up the way podman does.
 *
 * The binfmt_misc instance registered there through the pause process
 * (--pid PAUSE) belongs to that user namespace: each of the user's rootless
 * containers sees its entries (a container with its own user namespace, such
 * as --userns keep-id, inherits them), the machine does not. They last as long
 * as the pause process (podman system migrate, or a reboot, ends it; binfmt
 * emulate --podman then registers them again in the new one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';

/** `podman unshare true` takes well under a second; a hung podman should not hang binfmt. */
const PODMAN_TIMEOUT_MS = 60_000;

/** Where podman looks for its runtime directory, in podman's order. */
export function podmanRuntimeDirs(uid = process.getuid?.() ?? 0, env = process.env): string[] {
  const out: string[] = [];
  if (env.XDG_RUNTIME_DIR) out.push(env.XDG_RUNTIME_DIR);
  out.push(`/run/user/${uid}`);
  out.push(join(env.TMPDIR || tmpdir(), `podman-run-${uid}`));
  return out;
}

/** The pid in the first pause.pid found whose process is alive, or null. */
export function livePausePid(dirs = podmanRuntimeDirs()): number | null {
  for (const d of dirs) {
    const file = join(d, 'libpod', 'tmp', 'pause.pid');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      if (statSync(`/proc/${pid}`).uid === (process.getuid?.() ?? 0)) return pid;
    } catch {
      /* stale file: the pause process is gone */
    }
  }
  return null;
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
      "--podman is for rootless podman: as root, podman's containers run in the machine's own user namespace, whose " +
        'binfmt_misc is the default one (run without --podman)',
      '--podman',
    );
  }
  if (!onPath('podman')) throw new BinfmtError('ENOENT', '--podman: podman is not on PATH', '--podman');
  const pid = livePausePid();
  if (pid !== null || !opts.start) return pid;
  const r = spawnSync('podman', ['unshare', 'true'], { encoding: 'utf8', timeout: PODMAN_TIMEOUT_MS });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim().split('\n').pop() || `exit ${r.status}`;
    throw new BinfmtError('ESRCH', `--podman: podman unshare true failed: ${why}`, '--podman');
  }
  const started = livePausePid();
  if (started === null)
    throw new BinfmtError(
      'ESRCH',
      `--podman: podman unshare ran, but no pause.pid under ${podmanRuntimeDirs().join(' or ')} names a live process`,
      '--podman',
    );
  return started;
}

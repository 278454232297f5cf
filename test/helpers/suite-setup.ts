/**
 * Set-up and tear-down of the whole suite (globalSetup in vitest.config.ts):
 * the suite stops what it started and leaves nothing behind.
 *
 * - A TMPDIR for the suite, which holds each test file's own (own-tmpdir.ts)
 *   and must be empty again at the end. Some tests run programs as other
 *   users (setpriv, the podman test user) on files there, so it goes under
 *   TMPDIR only if every user may reach that, else under /tmp.
 * - Rootless podman, run as the test user, leaves a "pause" process holding
 *   its user namespace after its last command (one per runtime directory:
 *   the Toolbx tests use their own). Those that were not running before the
 *   suite are stopped, unless something else of that user still runs
 *   (another run of the suite, or a container, could be using them).
 */
import type { TestProject } from 'vitest/node';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TEST_USER } from './test-user.js';

declare module 'vitest' {
  export interface ProvidedContext {
    suiteTmpDir: string;
  }
}

/** What rootless podman names its pause process (/proc/PID/comm). */
const PAUSE_COMM = 'podman pause';

/** The pids of the processes of UID, each with its comm; [] if there is no such user. */
function processesOf(uid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const real = /^Uid:\s+(\d+)/m.exec(status);
      if (Number(real?.[1]) !== uid) continue;
      out.push({ pid: Number(name), comm: readFileSync(`/proc/${name}/comm`, 'utf8').trim() });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

function stop(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* gone meanwhile */
  }
}

/** Whether every user may reach DIR: each directory on its path lets others search it. */
function reachableByAll(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (d === dirname(d)) return true;
  }
}

function testUserId(): number | null {
  const r = spawnSync('id', ['-u', TEST_USER], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

export default function setup(project: TestProject): () => void {
  const uid = testUserId();
  const pausedBefore = new Set(
    uid === null ? [] : processesOf(uid).flatMap((p) => (p.comm === PAUSE_COMM ? [p.pid] : [])),
  );
  const dir = mkdtempSync(join(reachableByAll(tmpdir()) ? tmpdir() : '/tmp', 'binfmt-suite-'));
  chmodSync(dir, 0o755);
  project.provide('suiteTmpDir', dir);

  return () => {
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    if (uid !== null) {
      const now = processesOf(uid);
      if (now.every((p) => p.comm === PAUSE_COMM)) {
        for (const p of now) if (!pausedBefore.has(p.pid)) stop(p.pid);
      }
    }
    if (left.length > 0) throw new Error(`test files left in the suite's TMPDIR: ${left.join(' ')}`);
  };
}

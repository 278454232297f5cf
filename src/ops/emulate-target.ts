/**
 * The binfmt_misc instance binfmt emulate works on, and who owns its entries.
 *
 * - The machine's (default) or a --mount DIR: ownership is binfmt's usual
 *   state file (src/config/ownership-state.ts, /run/binfmt by default).
 * - --pid PID, or --podman (PID = podman's pause process): the instance of
 *   that process's user namespace. Its ownership state is a file of the same
 *   kind, kept where the caller may write: --state-dir, or for a caller other
 *   than root the binfmt directory in podman's runtime directory
 *   ($XDG_RUNTIME_DIR/binfmt, else /run/user/UID/binfmt or $TMPDIR/podman-run-UID/binfmt).
 *   The file records which instance it was made for (device number and birth
 *   time of the instance), so a state left from a pause process that is gone
 *   claims nothing in the next one; and an entry is owned only while the
 *   kernel shows exactly the line recorded.
 */
import { existsSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STATE_DIR, OwnershipStore, type OwnedEntry } from '../config/ownership-state.js';
import { withStateLock } from '../config/state-lock.js';
import type { Entry } from '../core/entry.js';
import { canonical } from '../core/register-format.js';
import { openInstance, type OpenedInstance } from '../kernel/instance.js';
import { kernelSupportsPid, visibleInside } from '../kernel/pid-instance.js';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import { USERNS_INSTANCES } from '../core/kernel-rules.js';
import { podmanPausePid, podmanRuntimeDir } from './podman-pause.js';

export type EmulateTarget = { kind: 'mount'; mount: string } | { kind: 'pid'; pid: number } | { kind: 'podman' };

export interface OpenedTarget {
  inst: OpenedInstance;
  /** The pid whose instance it is (--pid, or podman's pause process), or null. */
  pid: number | null;
  stateDir: string;
  /** The path under which the instance's writer sees a host file, or null when it cannot. */
  inside(hostPath: string): string | null;
}

/** Where a caller other than root keeps the state of a user namespace's instance. */
function userStateDir(): string {
  const uid = process.getuid?.() ?? 0;
  const dir = podmanRuntimeDir();
  let mine = false;
  try {
    const st = statSync(dir);
    mine = st.isDirectory() && st.uid === uid;
  } catch {
    /* not there */
  }
  if (!mine)
    throw new BinfmtError(
      'ENOENT',
      `${dir} is not a runtime directory of yours to keep the ownership state in`,
      option('stateDir'),
      ['give ', option('stateDir', 'DIR')],
    );
  return join(dir, 'binfmt');
}

/**
 * Opens the target. `changes`: the command registers or removes (PID's
 * instance is mounted where it is missing, and podman's pause process is
 * started when it is not running); false on a dry run and for --status.
 */
export function openTarget(target: EmulateTarget, stateDir: string, changes: boolean): OpenedTarget | null {
  if (target.kind === 'mount') {
    const inst = openInstance({ mount: target.mount, pid: null, attach: false });
    return { inst, pid: null, stateDir, inside: (p) => p };
  }
  if (!kernelSupportsPid()) {
    // Before 6.7 every user namespace uses the machine's one instance: there is nothing per user to register in.
    const flag = option(target.kind === 'pid' ? 'pid' : 'podman');
    throw new BinfmtError(
      'ENOSYS',
      [
        flag,
        ` needs Linux ${USERNS_INSTANCES.mainline} or later (a binfmt_misc instance per user namespace); this is ${release()}: ` +
          "register in the machine's instance instead, as root and without ",
        flag,
        ' (containers, rootless ones too, then use it)',
      ],
      flag,
    );
  }
  const pid = target.kind === 'pid' ? target.pid : podmanPausePid({ start: changes });
  if (pid === null) return null;
  // podman's pause process with its instance already attached (by an earlier emulate --podman: nothing else
  // attaches one there) is read without entering its namespaces: re-running emulate --podman from a login
  // script then costs about a node start.
  const inst = openInstance({ pid, attach: changes, readAttached: target.kind === 'podman' });
  const dir = stateDir === DEFAULT_STATE_DIR && (process.getuid?.() ?? 0) !== 0 ? userStateDir() : stateDir;
  return {
    inst,
    pid,
    stateDir: dir,
    inside: (p) => (existsSync(p) ? visibleInside(pid, '', p) : null),
  };
}

/** The recorded entries still shown by the kernel exactly as recorded. */
export function ownedEntries(t: OpenedTarget, live: readonly Entry[]): OwnedEntry[] {
  const { state } = new OwnershipStore(t.stateDir, t.inst.key).load();
  const now = new Map(live.map((e) => [e.name, canonical(e)]));
  return state.entries.filter((o) => now.get(o.name) === o.register);
}

/** Records `added` as binfmt's (with their sources) and forgets `dropped`. */
export function recordOwnership(t: OpenedTarget, added: { entry: Entry; source: string }[], dropped: string[]): void {
  withStateLock(t.stateDir, t.inst.key, () => {
    const store = new OwnershipStore(t.stateDir, t.inst.key);
    const gone = new Set([...dropped, ...added.map((a) => a.entry.name)]);
    const kept = store.load().state.entries.filter((o) => !gone.has(o.name));
    store.save([
      ...kept,
      ...added.map((a) => ({ name: a.entry.name, register: canonical(a.entry), source: a.source })),
    ]);
  });
}

/** The instance's entries (match order), by name, and which of them are binfmt's. */
export function liveState(t: OpenedTarget): { list: Entry[]; byName: Map<string, Entry>; owned: Set<string> } {
  const kernel = t.inst.kernel;
  kernel.ensureMounted();
  const list = kernel.list();
  return {
    list,
    byName: new Map(list.map((e) => [e.name, e])),
    owned: new Set(ownedEntries(t, list).map((o) => o.name)),
  };
}

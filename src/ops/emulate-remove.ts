/**
 * `binfmt emulate --remove ARCH…|all`: removes the emulator entries binfmt
 * registered, never another tool's. An entry is binfmt's while the ownership
 * state (src/ops/emulate-target.ts) records exactly the line the kernel
 * shows. Another tool's qemu-<arch> (Debian's, a hand-made one) stays, with a
 * note; naming its architecture is an error (nothing is removed then), with
 * `all` it is only the note. With --persist, /etc/binfmt.d/qemu-<arch>.conf
 * goes too when binfmt wrote it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERSIST_DIR, unpersist } from '../config/persistence.js';
import { BinfmtError } from '../core/binfmt-error.js';
import { binfmt, option, plainText } from '../core/fix.js';
import type { Entry } from '../core/entry.js';
import { emulatorEntryName } from '../core/qemu-arch.js';
import { runBatch } from '../kernel/step-runner.js';
import { selectArches } from './emulate-arches.js';
import { liveState, openTarget, recordOwnership, type EmulateTarget } from './emulate-target.js';

export interface RemoveEmulatorsRequest {
  arches: readonly string[];
  target: EmulateTarget;
  persist: boolean;
  configRoot: string;
  stateDir: string;
  dryRun: boolean;
}

export type RemoveAction = 'remove' | 'absent' | 'foreign';

export interface RemoveOutcome {
  arch: string;
  entry: string;
  action: RemoveAction;
  /** /etc/binfmt.d/qemu-<arch>.conf removed (or that would be). */
  unpersisted: string | null;
  note: string | null;
}

/** The first line persist writes: a file that starts with it is binfmt's to remove. */
const PERSIST_MARK = '# Written by binfmt persist';

function ourPersistFile(configRoot: string, name: string): boolean {
  const path = join(configRoot, PERSIST_DIR, `${name}.conf`);
  try {
    return existsSync(path) && readFileSync(path, 'utf8').startsWith(PERSIST_MARK);
  } catch {
    return false;
  }
}

export function removeEmulators(req: RemoveEmulatorsRequest): {
  label: string;
  outcomes: RemoveOutcome[];
  changed: boolean;
} {
  const { arches, all } = selectArches(req.arches);
  const t = openTarget(req.target, req.stateDir, false);
  if (!t) {
    const outcomes = arches.map((a) => ({
      arch: a.qemu,
      entry: emulatorEntryName(a),
      action: 'absent' as const,
      unpersisted: null,
      note: null,
    }));
    return { label: "podman's user namespace (no pause process: nothing registered)", outcomes, changed: false };
  }
  try {
    const kernel = t.inst.kernel;
    const { byName, owned } = liveState(t);
    const outcomes: RemoveOutcome[] = [];
    const gone: Entry[] = [];
    for (const a of arches) {
      const name = emulatorEntryName(a);
      const e = byName.get(name);
      const unpersisted =
        req.persist && ourPersistFile(req.configRoot, name) ? join(req.configRoot, PERSIST_DIR, `${name}.conf`) : null;
      if (!e) {
        outcomes.push({ arch: a.qemu, entry: name, action: 'absent', unpersisted, note: null });
      } else if (owned.has(name)) {
        outcomes.push({ arch: a.qemu, entry: name, action: 'remove', unpersisted, note: null });
        gone.push(e);
      } else {
        const why = `'${name}' was not registered by binfmt (${e.interpreter}, flags ${e.flags || '-'}): left alone`;
        const fix = [binfmt('remove', name), ' removes it'];
        if (!all) throw new BinfmtError('EPERM', ['emulate ', option('remove'), `: ${why}`], 'arch', fix);
        const note = `${why} (${plainText(fix)})`;
        outcomes.push({ arch: a.qemu, entry: name, action: 'foreign', unpersisted: null, note });
      }
    }
    if (req.dryRun) return { label: kernel.label, outcomes, changed: false };
    for (const o of outcomes) if (o.unpersisted) unpersist(req.configRoot, o.entry);
    if (gone.length === 0) return { label: kernel.label, outcomes, changed: false };
    const r = runBatch(
      kernel,
      gone.map((e) => ({
        op: 'remove',
        name: e.name,
        def: e,
        why: plainText(['emulate ', option('remove'), ` ${e.name}`]),
      })),
    );
    if (!r.ok) {
      const f = r.failures[0]!;
      throw new BinfmtError(f.code, `${f.step.name}: ${f.message} (nothing removed: every step done was undone)`);
    }
    recordOwnership(
      t,
      [],
      gone.map((e) => e.name),
    );
    return { label: kernel.label, outcomes, changed: true };
  } finally {
    t.inst.close();
  }
}

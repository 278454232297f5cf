/**
 * `binfmt remove --owned`: remove every entry binfmt registered in one
 * instance, and nothing else: the undo of apply, import and register, which
 * `unpersist X; apply --prune` is not (that registers whatever binfmt.d
 * still names, the distribution's own entries included).
 *
 * What binfmt registered is what the ownership state records
 * (src/config/ownership-state.ts): an entry counts only while the kernel
 * still shows the recorded definition. One changed since by someone else is
 * theirs: it is left alone, with a note, and its record dropped. With --pid
 * the record is the one apply and import keep for that process's instance;
 * `register --pid` records nothing (src/ops/register.ts), so what it
 * registered there is not removed. Removals run newest first, under the
 * state lock, and the record keeps only what could not be removed: a second
 * run finds nothing.
 */
import { OwnershipStore, type OwnedEntry } from '../config/ownership-state.js';
import { withStateLock } from '../config/state-lock.js';
import { canonical } from '../core/register-format.js';
import { openInstance } from '../kernel/instance.js';

export interface RemoveOwnedRequest {
  mount: string;
  pid: number | null;
  stateDir: string;
  dryRun: boolean;
}

export interface LeftAlone {
  name: string;
  /** Where binfmt registered it from (the recorded source). */
  source: string;
  reason: string;
}

export interface OwnedRemoval {
  /** How the instance is named in messages. */
  label: string;
  /** Removed (or, on a dry run, to be removed), newest first. */
  removed: { name: string; source: string }[];
  leftAlone: LeftAlone[];
  /** Why the ownership state was ignored, or null. */
  warning: string | null;
}

export function removeOwned(req: RemoveOwnedRequest): OwnedRemoval {
  const inst = openInstance({ mount: req.mount, pid: req.pid, attach: false });
  try {
    const work = (): OwnedRemoval => {
      const kernel = inst.kernel;
      kernel.ensureMounted();
      const store = new OwnershipStore(req.stateDir, inst.key);
      const { state, warning } = store.load();
      // A name may carry several records while an apply is pending (old and new definition).
      const records = new Map<string, OwnedEntry[]>();
      for (const o of state.entries) records.set(o.name, [...(records.get(o.name) ?? []), o]);
      const removed: OwnedRemoval['removed'] = [];
      const leftAlone: LeftAlone[] = [];
      // Names whose records go: removed, gone already, or someone else's now.
      const settled = new Set<string>();
      try {
        for (const [name, recs] of [...records].reverse()) {
          const now = kernel.has(name) ? canonical(kernel.read(name)) : null;
          const mine = recs.find((o) => o.register === now);
          if (now === null) settled.add(name);
          else if (!mine) {
            const reason = 'changed by someone else since binfmt registered it, so it is theirs now';
            leftAlone.push({ name, source: recs[0]!.source, reason });
            settled.add(name);
          } else {
            if (!req.dryRun) kernel.remove(name);
            removed.push({ name, source: mine.source });
            settled.add(name);
          }
        }
      } finally {
        // Even when a removal fails half way, the record keeps exactly what is still there.
        if (!req.dryRun && settled.size > 0) store.save(state.entries.filter((o) => !settled.has(o.name)));
      }
      return { label: kernel.label, removed, leftAlone, warning };
    };
    return req.dryRun ? work() : withStateLock(req.stateDir, inst.key, work);
  } finally {
    inst.close();
  }
}

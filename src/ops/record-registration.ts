/**
 * Which commands record ownership: every one that registers an entry on
 * purpose. apply and import record what they register (src/ops/reconcile.ts),
 * reorder keeps the record it moves, and register records its entry here with
 * the source "binfmt register" (not in a container's instance, --pid: it goes
 * away with the container's user namespace). An owned entry is binfmt's to change: reorder
 * moves it without --force, and apply --prune removes it when no configuration
 * names it (binfmt persist NAME writes it into /etc/binfmt.d to keep it).
 * Entries registered by hand or by other tools are never recorded, and binfmt
 * leaves them alone.
 */
import { OwnershipStore } from '../config/ownership-state.js';
import { withStateLock } from '../config/state-lock.js';
import { canonical } from '../core/register-format.js';
import type { Entry } from '../core/entry.js';

/** The source register records: doctor names the command by it. */
export const REGISTER_SOURCE = 'binfmt register';

export function recordRegistration(stateDir: string, mount: string, entry: Entry, source = REGISTER_SOURCE): void {
  withStateLock(stateDir, mount, () => {
    const store = new OwnershipStore(stateDir, mount);
    const { state } = store.load();
    const others = state.entries.filter((o) => o.name !== entry.name);
    store.save([...others, { name: entry.name, register: canonical(entry), source }]);
  });
}

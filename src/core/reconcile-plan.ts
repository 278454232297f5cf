/**
 * planReconcile(): what `binfmt apply` must do to make a binfmt_misc instance
 * match the configuration, as a value. Pure and generic over the definition
 * type (entries in the CLI, strings in unit tests).
 *
 * Rules:
 * - Only entries this tool owns are changed or removed. A configured name that
 *   the kernel holds with the same definition but nobody owns is adopted; with
 *   a different definition it is a conflict and left alone (unless `force`).
 * - Match order: the kernel prefers the newest registration (list_add
 *   puts a new entry at the head of the list search_binfmt_handler walks),
 *   so the configured order is registration order (oldest first). An entry
 *   that already holds the right definition stays untouched unless an earlier
 *   configured entry that can match the same files would end up newer than it
 *   (added, changed, moved, or simply registered after it); then it is moved
 *   (registered again, make-before-break). A second run finds nothing to do.
 * - Order holds only among entries the kernel will hold: one it refuses
 *   (`refused`: e.g. F with a missing interpreter) is still planned, so that
 *   apply tries it and reports the refusal, but a refused add leaves no entry
 *   to be out of order, and a refused change or move leaves the old entry
 *   where it was. Otherwise every run would move the entries after it again.
 * - Removing (with `prune`) happens last, after every addition, so a format
 *   that moved to a new name is never left without a handler.
 */

export interface DesiredItem<T> {
  name: string;
  def: T;
  /** "file:line" of the definition. */
  source: string;
}

export interface LiveItem<T> {
  name: string;
  def: T;
  /** Recorded as registered by this tool (and unchanged since). */
  owned: boolean;
}

export type PlanAction<T> =
  | { kind: 'add'; name: string; to: T; source: string }
  | { kind: 'change'; name: string; from: T; to: T; source: string; reason: 'definition' | 'order'; adopt: boolean }
  | { kind: 'remove'; name: string; from: T }
  | { kind: 'unchanged'; name: string; def: T; source: string; adopt: boolean }
  | { kind: 'conflict'; name: string; from: T; to: T; source: string };

export interface Plan<T> {
  /** In execution order: additions and changes in configured order, then removals. */
  actions: PlanAction<T>[];
  add: string[];
  remove: string[];
  change: string[];
  unchanged: string[];
  conflict: string[];
  /** Owned entries no longer configured and kept because `prune` was not asked for. */
  stale: string[];
}

export interface PlanOptions<T> {
  equal: (a: T, b: T) => boolean;
  prune?: boolean;
  /** Take over configured names that another tool registered differently. */
  force?: boolean;
  /** Owned names removed even without `prune` (temporary names left by an interrupted run). */
  disposable?: (name: string) => boolean;
  /** Whether some file could match both (order matters only then); default: always. */
  overlaps?: (a: T, b: T) => boolean;
  /** Whether the kernel will refuse to register this definition; default: never. */
  refused?: (def: T) => boolean;
}

/**
 * Where an entry stands after apply: kept where it is ('keep'; 'stay': its
 * change or move will be refused, so the old entry stays), registered anew
 * and so newer than every entry kept ('new', 'move'), or not there at all
 * ('absent': an add the kernel will refuse).
 */
type Outcome = 'keep' | 'stay' | 'move' | 'new' | 'absent';

/**
 * @param desired configured entries in registration order (oldest first), names unique
 * @param live    the kernel's entries in registration order (oldest first)
 */
export function planReconcile<T>(desired: DesiredItem<T>[], live: LiveItem<T>[], opts: PlanOptions<T>): Plan<T> {
  const liveByName = new Map(live.map((l, i) => [l.name, { ...l, position: i }]));
  const actions: PlanAction<T>[] = [];
  const wanted = new Set(desired.map((d) => d.name));

  // Conflicts drop out of the ordered set: they are not ours to place.
  const placed: DesiredItem<T>[] = [];
  for (const d of desired) {
    const l = liveByName.get(d.name);
    if (l && !l.owned && !opts.equal(l.def, d.def) && !opts.force) {
      actions.push({ kind: 'conflict', name: d.name, from: l.def, to: d.def, source: d.source });
    } else {
      placed.push(d);
    }
  }

  // Walk the configured order; an existing entry with the right definition
  // stays put unless something that must match before it (an earlier
  // configured entry it overlaps) ends up newer than it.
  const overlaps = opts.overlaps ?? ((): boolean => true);
  const refused = opts.refused ?? ((): boolean => false);
  const outcome: Outcome[] = [];
  // The definition each entry holds after apply (the old one where a change is refused).
  const held: T[] = [];
  placed.forEach((d, i) => {
    const l = liveByName.get(d.name);
    const registers = (): Outcome => (refused(d.def) ? 'stay' : 'move');
    let o: Outcome;
    if (!l) o = refused(d.def) ? 'absent' : 'new';
    else if (!opts.equal(l.def, d.def)) o = registers();
    else {
      // An earlier entry the kernel refuses to add ('absent') is not live, so it is never newer.
      const newerBefore = placed.slice(0, i).some((x, j) => {
        if (!overlaps(held[j]!, d.def)) return false;
        const xl = liveByName.get(x.name);
        return outcome[j] === 'new' || outcome[j] === 'move' || (xl !== undefined && xl.position > l.position);
      });
      o = newerBefore ? registers() : 'keep';
    }
    outcome.push(o);
    held.push(o === 'stay' ? l!.def : d.def);
  });

  placed.forEach((d, i) => {
    const l = liveByName.get(d.name);
    if (!l) actions.push({ kind: 'add', name: d.name, to: d.def, source: d.source });
    else if (outcome[i] === 'keep')
      actions.push({ kind: 'unchanged', name: d.name, def: d.def, source: d.source, adopt: !l.owned });
    else {
      const same = opts.equal(l.def, d.def);
      actions.push({
        kind: 'change',
        name: d.name,
        from: l.def,
        to: d.def,
        source: d.source,
        reason: same ? 'order' : 'definition',
        adopt: !l.owned,
      });
    }
  });

  const stale: string[] = [];
  for (const l of live) {
    if (!l.owned || wanted.has(l.name)) continue;
    if (opts.prune || opts.disposable?.(l.name)) actions.push({ kind: 'remove', name: l.name, from: l.def });
    else stale.push(l.name);
  }

  const names = (k: PlanAction<T>['kind']): string[] => actions.filter((a) => a.kind === k).map((a) => a.name);
  return {
    actions,
    add: names('add'),
    remove: names('remove'),
    change: names('change'),
    unchanged: names('unchanged'),
    conflict: names('conflict'),
    stale,
  };
}

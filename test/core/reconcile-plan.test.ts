import { describe, expect, it } from 'vitest';
import { planReconcile, type DesiredItem, type LiveItem } from '../../src/core/reconcile-plan.js';
import { kernelSteps, temporaryName, undoStep } from '../../src/core/kernel-steps.js';

const equal = (a: string, b: string): boolean => a === b;
const want = (...pairs: [string, string][]): DesiredItem<string>[] =>
  pairs.map(([name, def], i) => ({ name, def, source: `t.conf:${i + 1}` }));
const live = (...items: [string, string, boolean][]): LiveItem<string>[] =>
  items.map(([name, def, owned]) => ({ name, def, owned }));

describe('planReconcile', () => {
  it('adds, changes, removes (with prune) and leaves the rest', () => {
    const p = planReconcile(
      want(['a', '1'], ['b', '2'], ['c', '3']),
      live(['a', '1', true], ['b', 'old', true], ['gone', 'x', true], ['foreign', 'y', false]),
      {
        equal,
        prune: true,
        overlaps: () => false,
      },
    );
    expect({ add: p.add, change: p.change, remove: p.remove, unchanged: p.unchanged }).toEqual({
      add: ['c'],
      change: ['b'],
      remove: ['gone'],
      unchanged: ['a'],
    });
    expect(p.actions.at(-1)!.kind).toBe('remove');
  });

  it('never removes what it does not own, and keeps owned leftovers without prune', () => {
    const p = planReconcile(want(), live(['mine', '1', true], ['WSLInterop', '2', false]), { equal });
    expect(p.remove).toEqual([]);
    expect(p.stale).toEqual(['mine']);
  });

  it('adopts an identical unowned entry and refuses a different one unless forced', () => {
    const l = live(['same', '1', false], ['other', 'theirs', false]);
    const p = planReconcile(want(['same', '1'], ['other', 'mine']), l, { equal, overlaps: () => false });
    expect(p.unchanged).toEqual(['same']);
    expect(p.actions[1]).toMatchObject({ kind: 'unchanged', adopt: true });
    expect(p.conflict).toEqual(['other']);
    expect(planReconcile(want(['other', 'mine']), l, { equal, force: true }).change).toEqual(['other']);
  });

  it('is idempotent: the state it produces plans to nothing', () => {
    const d = want(['a', '1'], ['b', '2'], ['c', '3']);
    const after = live(['a', '1', true], ['b', '2', true], ['c', '3', true]);
    const p = planReconcile(d, after, { equal, prune: true });
    expect(p.actions.every((a) => a.kind === 'unchanged')).toBe(true);
  });

  it('moves an entry whose configured predecessor it overlaps would end up newer', () => {
    // kernel order (oldest first) b, a; configured a then b: b must be re-registered after a.
    const p = planReconcile(want(['a', '1'], ['b', '2']), live(['b', '2', true], ['a', '1', true]), { equal });
    expect(p.unchanged).toEqual(['a']);
    expect(p.actions[1]).toMatchObject({ kind: 'change', name: 'b', reason: 'order' });
    // the same when they cannot match the same file: order does not matter, nothing to do
    expect(
      planReconcile(want(['a', '1'], ['b', '2']), live(['b', '2', true], ['a', '1', true]), {
        equal,
        overlaps: () => false,
      }).change,
    ).toEqual([]);
  });

  it('a changed entry drags later overlapping entries along, so order holds', () => {
    const p = planReconcile(
      want(['a', 'new'], ['b', '2'], ['c', '3']),
      live(['a', 'old', true], ['b', '2', true], ['c', '3', true]),
      {
        equal,
        overlaps: (x, y) => x !== '3' && y !== '3',
      },
    );
    expect(p.change).toEqual(['a', 'b']);
    expect(p.unchanged).toEqual(['c']);
  });

  it('an entry the kernel refuses is tried again but moves nothing after it: the plan converges', () => {
    // 'broken' (e.g. F with a missing interpreter) is configured first and never registers;
    // 'a' and 'b' hold their definitions in configured order.
    const refused = (d: string): boolean => d === 'x';
    const d = want(['broken', 'x'], ['a', '1'], ['b', '2']);
    const p = planReconcile(d, live(['a', '1', true], ['b', '2', true]), { equal, refused });
    expect({ add: p.add, change: p.change, unchanged: p.unchanged }).toEqual({
      add: ['broken'],
      change: [],
      unchanged: ['a', 'b'],
    });
    // A refused change leaves the old entry where it was: what comes after it is ordered against that.
    const held = live(['broken', 'old', true], ['a', '1', true]);
    const q = planReconcile(d.slice(0, 2), held, { equal, refused });
    expect({ change: q.change, unchanged: q.unchanged }).toEqual({ change: ['broken'], unchanged: ['a'] });
    // ...and an entry older than it is moved once, after which the plan is stable.
    const r = planReconcile(d.slice(0, 2), live(['a', '1', true], ['broken', 'old', true]), { equal, refused });
    expect(r.change).toEqual(['broken', 'a']);
    expect(r.actions[1]).toMatchObject({ kind: 'change', reason: 'order' });
  });

  it('orders what follows a refused change against the definition left in place, not the refused one', () => {
    const refused = (d: string): boolean => d === 'x';
    const d = want(['broken', 'x'], ['a', '1']);
    const l = live(['a', '1', true], ['broken', 'old', true]);
    // The old definition overlaps a, the refused one would not: a must move after it.
    expect(planReconcile(d, l, { equal, refused, overlaps: (held) => held === 'old' }).change).toEqual(['broken', 'a']);
    // The refused one would overlap a, the old one does not: a stays.
    expect(planReconcile(d, l, { equal, refused, overlaps: (held) => held === 'x' }).change).toEqual(['broken']);
  });

  it('a change adopts an entry binfmt does not own (with force), and only such an entry', () => {
    const theirs = planReconcile(want(['e', 'mine']), live(['e', 'theirs', false]), { equal, force: true });
    expect(theirs.actions).toMatchObject([{ kind: 'change', reason: 'definition', adopt: true }]);
    const ours = planReconcile(want(['e', 'new']), live(['e', 'old', true]), { equal });
    expect(ours.actions).toMatchObject([{ kind: 'change', reason: 'definition', adopt: false }]);
  });
});

describe('kernelSteps', () => {
  it('a change is make-before-break through a temporary name, and undo reverses each step', () => {
    const p = planReconcile(want(['x', 'new']), live(['x', 'old', true]), { equal });
    const steps = kernelSteps(p.actions, ['x']);
    expect(steps.map((s) => `${s.op} ${s.name} ${s.def}`)).toEqual([
      'register x.binfmt-tmp new',
      'remove x old',
      'register x new',
      'remove x.binfmt-tmp new',
    ]);
    expect(undoStep(steps[1]!)).toMatchObject({ op: 'register', name: 'x', def: 'old' });
  });

  it('temporary names avoid taken names and fit 255 bytes', () => {
    expect(temporaryName('x', new Set(['x.binfmt-tmp']))).toBe('x.binfmt-tmp-2');
    const long = 'n'.repeat(250);
    const t = temporaryName(long, new Set());
    expect(t.length).toBeLessThanOrEqual(255);
    expect(t).toMatch(/^[0-9a-f]{8}\.binfmt-tmp$/);
  });
});

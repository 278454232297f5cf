/** The kernel steps of a plan, their undo, and the temporary names a change registers under. */
import { describe, expect, it } from 'vitest';
import { isTemporaryName, kernelSteps, temporaryName, undoStep } from '../../src/core/kernel-steps.js';

describe('kernelSteps', () => {
  const change = { kind: 'change', name: 'x', from: 'old', to: 'new', source: 'a.conf:3', adopt: false } as const;

  it('says why each step is taken, for adds, removals, changes and moves', () => {
    const steps = kernelSteps<string>(
      [
        { kind: 'add', name: 'n', to: 'd', source: 'a.conf:1' },
        { kind: 'unchanged', name: 'u', def: 'd', source: 'a.conf:2', adopt: false },
        { ...change, reason: 'definition' },
        { ...change, name: 'y', reason: 'order' },
        { kind: 'conflict', name: 'c', from: 'a', to: 'b', source: 'a.conf:4' },
        { kind: 'remove', name: 'r', from: 'd' },
      ],
      ['x', 'y', 'r', 'u'],
    );
    expect(steps.map((s) => `${s.op} ${s.name} ${s.def}: ${s.why}`)).toEqual([
      'register n d: add n (a.conf:1)',
      'register x.binfmt-tmp new: change x (a.conf:3): new definition under x.binfmt-tmp',
      'remove x old: change x (a.conf:3): old definition',
      'register x new: change x (a.conf:3): new definition',
      'remove x.binfmt-tmp new: change x (a.conf:3): drop x.binfmt-tmp',
      'register y.binfmt-tmp new: move y (a.conf:3): new definition under y.binfmt-tmp',
      'remove y old: move y (a.conf:3): old definition',
      'register y new: move y (a.conf:3): new definition',
      'remove y.binfmt-tmp new: move y (a.conf:3): drop y.binfmt-tmp',
      'remove r d: remove r (no longer configured)',
    ]);
  });

  it('undo swaps register and remove, keeps name and definition', () => {
    expect(undoStep({ op: 'register', name: 'a', def: 1, why: 'w' })).toEqual({
      op: 'remove',
      name: 'a',
      def: 1,
      why: 'undo: w',
    });
    expect(undoStep({ op: 'remove', name: 'a', def: 1, why: 'w' })).toEqual({
      op: 'register',
      name: 'a',
      def: 1,
      why: 'undo: w',
    });
  });

  it('temporary names: next free suffix, hashed when the name is long, and recognised', () => {
    expect(temporaryName('x', new Set())).toBe('x.binfmt-tmp');
    expect(temporaryName('x', new Set(['x.binfmt-tmp', 'x.binfmt-tmp-2']))).toBe('x.binfmt-tmp-3');
    const fits = 'n'.repeat(255 - '.binfmt-tmp'.length - 4);
    expect(temporaryName(fits, new Set())).toBe(`${fits}.binfmt-tmp`);
    const long = `${fits}n`;
    const t = temporaryName(long, new Set());
    expect(t).toMatch(/^[0-9a-f]{8}\.binfmt-tmp$/);
    expect(temporaryName(long, new Set())).toBe(t);
    expect(temporaryName(`${fits}m`, new Set())).not.toBe(t);
    // NAME_MAX counts bytes: 122 two-byte characters do not fit with the suffix
    expect(temporaryName('é'.repeat(122), new Set())).toMatch(/^[0-9a-f]{8}\.binfmt-tmp$/);
    expect(temporaryName('é'.repeat(118), new Set())).toBe(`${'é'.repeat(118)}.binfmt-tmp`);
    for (const n of ['x.binfmt-tmp', 'x.binfmt-tmp-2', 'x.binfmt-tmp-10', t]) expect(isTemporaryName(n)).toBe(true);
    for (const n of ['x', 'x.binfmt-tmp-', 'x.binfmt-tmpx', 'x.binfmt-tmp-2a', 'binfmt-tmp'])
      expect(isTemporaryName(n)).toBe(false);
  });
});

/**
 * The one renderer of batch outcomes (apply, import, reorder): text and JSON
 * from the same value, and "rolled back" only when every undo step was done.
 */
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/core/entry.js';
import { kernelStepGroups, undoStep, type KernelStep } from '../../src/core/kernel-steps.js';
import type { BatchFailure, BatchOutcome } from '../../src/kernel/step-runner.js';
import { batchFailureText, batchJson, refusalLines, stepLine } from '../../src/cli/render/batch.js';

const def = (name: string, interpreter: string, flags = ''): Entry => ({
  name,
  type: 'extension',
  extension: name,
  interpreter,
  flags,
});
const [change] = kernelStepGroups<Entry>(
  [
    {
      kind: 'change',
      name: 'a',
      from: def('a', '/gone/old', 'F'),
      to: def('a', '/bin/sh'),
      source: 'a.conf:1',
      reason: 'definition',
      adopt: false,
    },
  ],
  ['a'],
);
const steps = change!.steps as KernelStep<Entry>[];

/** The change of `a` failed at its third step; its undo re-registers the old definition, which fails too when `undoFails`. */
function failedChange(entry: BatchFailure['entry'], undoFails: boolean): BatchOutcome {
  const undo = [undoStep(steps[1]!), undoStep(steps[0]!)];
  const failure: BatchFailure = {
    step: steps[2]!,
    code: 'EEXIST',
    message: 'register: File exists',
    entry,
    undone: undoFails ? [undo[1]!] : undo,
    undoFailures: undoFails
      ? [{ step: undo[0]!, code: 'ENOENT', message: 'F: the kernel could not open the interpreter /gone/old (ENOENT)' }]
      : [],
  };
  return { ok: false, done: undoFails ? [steps[1]!] : [], failures: [failure] };
}

describe('batch outcome rendering', () => {
  it('says "rolled back" when every undo step was carried out', () => {
    expect(batchFailureText(failedChange(null, false))).toEqual([
      `failed: ${stepLine(steps[2]!)}: register: File exists`,
      'rolled back 2 steps; the instance is as before',
    ]);
    expect(refusalLines(failedChange({ name: 'a', source: 'a.conf:1' }, false))).toEqual([
      `a.conf:1: error: 'a': refused by the kernel (EEXIST): register: File exists; skipped; rolled back 2 steps; 'a' is as before`,
    ]);
  });

  it('never says "rolled back" when an undo step failed, whole batch or one entry', () => {
    const whole = batchFailureText(failedChange(null, true));
    expect(whole[1]).toBe(
      `rollback incomplete (1 of 2 undo steps done): ${stepLine(undoStep(steps[1]!))}: F: the kernel could not open the interpreter /gone/old (ENOENT); the instance may be left changed`,
    );
    const one = refusalLines(failedChange({ name: 'a', source: 'a.conf:1' }, true));
    for (const text of [...whole, ...one]) expect(text).not.toMatch(/rolled back/);
    expect(one[0]).toMatch(/; rollback incomplete \(1 of 2 undo steps done\): .*; 'a' may be left changed$/);
  });

  it('gives JSON from the same value: each failure with its undo, and their sums', () => {
    const o = failedChange({ name: 'a', source: 'a.conf:1' }, true);
    expect(batchJson(o)).toEqual({
      applied: false,
      done: [stepLine(steps[1]!)],
      failure: { step: stepLine(steps[2]!), code: 'EEXIST', message: 'register: File exists' },
      rolledBack: [stepLine(undoStep(steps[0]!))],
      rollbackFailures: [
        { step: stepLine(undoStep(steps[1]!)), code: 'ENOENT', message: expect.stringContaining('/gone/old') },
      ],
      failures: [
        {
          name: 'a',
          source: 'a.conf:1',
          step: stepLine(steps[2]!),
          code: 'EEXIST',
          message: 'register: File exists',
          rolledBack: [stepLine(undoStep(steps[0]!))],
          rollbackFailures: [{ step: stepLine(undoStep(steps[1]!)), code: 'ENOENT', message: expect.any(String) }],
        },
      ],
    });
    expect(batchJson({ ok: true, done: steps, failures: [] })).toEqual({
      applied: true,
      done: steps.map(stepLine),
      failure: null,
      rolledBack: [],
      rollbackFailures: [],
      failures: [],
    });
  });
});

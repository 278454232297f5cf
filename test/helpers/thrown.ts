import { expect } from 'vitest';
import { BinfmtError } from '../../src/core/binfmt-error.js';

/** The BinfmtError that `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): BinfmtError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BinfmtError);
    return e as BinfmtError;
  }
  throw new Error('did not throw');
}

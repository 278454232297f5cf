/** The one error type of the core: an errno-style code and the field that failed. */
import { describe, expect, it } from 'vitest';
import { BinfmtError } from '../../src/core/binfmt-error.js';

describe('BinfmtError', () => {
  it('carries code and field', () => {
    const e = new BinfmtError('EINVAL', 'bad', 'mask');
    expect([e.name, e.code, e.message, e.field, e instanceof Error]).toEqual([
      'BinfmtError',
      'EINVAL',
      'bad',
      'mask',
      true,
    ]);
  });
});

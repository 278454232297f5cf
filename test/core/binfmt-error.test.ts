/**
 * The one error type of the core: an errno-style code, the message as parts,
 * the field that failed (a name or one of binfmt's options) and a fix as data.
 */
import { describe, expect, it } from 'vitest';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { binfmt, option } from '../../src/core/fix.js';

/** Every public part of an error, so one toEqual compares them all. */
function parts(e: BinfmtError) {
  return {
    name: e.name,
    code: e.code,
    message: e.message,
    words: e.words,
    field: e.field,
    option: e.option,
    fix: e.fix,
    isError: e instanceof Error,
  };
}

describe('BinfmtError', () => {
  it.each([
    {
      what: 'a plain message and a named field',
      make: () => new BinfmtError('EINVAL', 'bad', 'mask'),
      want: { code: 'EINVAL', message: 'bad', words: ['bad'], field: 'mask', option: undefined, fix: undefined },
    },
    {
      what: 'no field at all',
      make: () => new BinfmtError('ENOENT', 'gone'),
      want: { code: 'ENOENT', message: 'gone', words: ['gone'], field: undefined, option: undefined, fix: undefined },
    },
    {
      what: 'an empty field is still a field',
      make: () => new BinfmtError('EINVAL', 'bad', ''),
      want: { code: 'EINVAL', message: 'bad', words: ['bad'], field: '', option: undefined, fix: undefined },
    },
    {
      what: 'an option as the field: its logical name and its word',
      make: () => new BinfmtError('EINVAL', 'not a directory', option('stateDir')),
      want: {
        code: 'EINVAL',
        message: 'not a directory',
        words: ['not a directory'],
        field: '--state-dir',
        option: 'stateDir',
        fix: undefined,
      },
    },
    {
      what: 'a message given as parts',
      make: () => new BinfmtError('ENOENT', [option('podman'), ': podman is not on PATH'], option('podman')),
      want: {
        code: 'ENOENT',
        message: '--podman: podman is not on PATH',
        words: [{ option: 'podman' }, ': podman is not on PATH'],
        field: '--podman',
        option: 'podman',
        fix: undefined,
      },
    },
    {
      what: 'a fix, shown after the message in parentheses',
      make: () =>
        new BinfmtError('EEXIST', 'owned by someone else', 'name', [
          'run ',
          binfmt('remove', 'qemu-aarch64'),
          ' first',
        ]),
      want: {
        code: 'EEXIST',
        message: 'owned by someone else (run binfmt remove qemu-aarch64 first)',
        words: ['owned by someone else'],
        field: 'name',
        option: undefined,
        fix: ['run ', { command: 'remove', args: ['qemu-aarch64'] }, ' first'],
      },
    },
    {
      what: 'a fix that names an option with its value',
      make: () => new BinfmtError('EPERM', 'no root', undefined, ['give ', option('pid', 'PID')]),
      want: {
        code: 'EPERM',
        message: 'no root (give --pid PID)',
        words: ['no root'],
        field: undefined,
        option: undefined,
        fix: ['give ', { option: 'pid', value: 'PID' }],
      },
    },
  ])('$what', ({ make, want }) => {
    expect(parts(make())).toEqual({ name: 'BinfmtError', isError: true, ...want });
  });

  it('keeps words as given when the message is parts, not a copy joined to text', () => {
    const words = [option('dryRun'), ' changes nothing'] as const;
    expect(new BinfmtError('EINVAL', words).words).toBe(words);
  });

  describe('instanceof', () => {
    it('holds for an error made by another copy of this module (marked by a shared symbol)', () => {
      const copy = Object.assign(new Error('x'), { code: 'EINVAL' });
      Object.defineProperty(copy, Symbol.for('binfmt.BinfmtError'), { value: true });
      expect(copy instanceof BinfmtError).toBe(true);
    });

    it.each([
      ['a plain Error', new Error('x')],
      ['an Error with a code', Object.assign(new Error('x'), { code: 'EINVAL' })],
      ['an object whose mark is not true', { [Symbol.for('binfmt.BinfmtError')]: 1 }],
      ['null', null],
      ['undefined', undefined],
      ['a string', 'BinfmtError'],
    ])('does not hold for %s', (_what, x) => {
      expect(x instanceof BinfmtError).toBe(false);
    });

    it('holds for its own errors, and their mark is not enumerable (not in JSON)', () => {
      const e = new BinfmtError('EINVAL', 'bad', 'mask');
      expect(e instanceof BinfmtError).toBe(true);
      expect(Object.keys(e)).not.toContain(Symbol.for('binfmt.BinfmtError'));
      expect(Object.getOwnPropertySymbols(e)).toEqual([Symbol.for('binfmt.BinfmtError')]);
      expect(Object.getOwnPropertyDescriptor(e, Symbol.for('binfmt.BinfmtError'))?.enumerable).toBe(false);
    });
  });
});

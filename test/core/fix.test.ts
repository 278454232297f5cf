/**
 * Fixes and error words as data (src/core/fix.ts): commands and options are
 * parts, and plainText spells them as the CLI's syntax does, for the texts
 * that stay plain strings (an error's message, a note in the JSON).
 */
import { describe, expect, it } from 'vitest';
import { binfmt, isOption, option, plainOptionWord, plainText } from '../../src/core/fix.js';

describe('fix parts', () => {
  it('an option is its logical name, with a value only when given', () => {
    expect(option('stateDir')).toEqual({ option: 'stateDir' });
    expect(option('stateDir', '/run/x')).toEqual({ option: 'stateDir', value: '/run/x' });
    expect(Object.keys(option('force'))).toEqual(['option']);
  });

  it('tells an option part from words, commands and other values', () => {
    expect(isOption(option('pid'))).toBe(true);
    for (const other of ['--pid', null, undefined, 7, binfmt('apply'), { option: 7 }, { value: 'x' }])
      expect([other, isOption(other)]).toEqual([other, false]);
  });

  it('spells an option as commander does, camel case as words joined by dashes', () => {
    expect(plainOptionWord('force')).toBe('--force');
    expect(plainOptionWord('stateDir')).toBe('--state-dir');
    expect(plainOptionWord('noArgv0')).toBe('--no-argv0');
  });

  it('plain text of words, options with and without values, and commands with their arguments', () => {
    expect(plainText(['give ', option('stateDir', 'DIR')])).toBe('give --state-dir DIR');
    expect(plainText([option('podman'), ': podman is not on PATH'])).toBe('--podman: podman is not on PATH');
    expect(plainText([binfmt('reorder', 'a', option('before', 'b'), option('force')), ', or remove one'])).toBe(
      'binfmt reorder a --before b --force, or remove one',
    );
    expect(plainText([binfmt('apply')])).toBe('binfmt apply');
    expect(plainText([])).toBe('');
  });
});

/** The options a fix repeats: those the user gave a value, never a default compared by value. */
import { describe, expect, it } from 'vitest';
import { givenOptions } from '../../src/cli/given-options.js';
import { doctor } from '../../src/cli/syntax/doctor.js';
import { validate } from '../../src/cli/syntax/validate.js';
import { DEFAULT_STATE_DIR } from '../../src/config/ownership-state.js';
import { tempDir } from '../helpers/tmp.js';

function parsed<C extends { parse(argv: string[], o: { from: 'user' }): unknown }>(cmd: C, argv: string[]): C {
  cmd.parse(argv, { from: 'user' });
  return cmd;
}

describe('givenOptions', () => {
  it('leaves out options at their defaults (--config-root /, --state-dir) and flags', () => {
    expect(givenOptions(parsed(doctor(), []))).toEqual([]);
    expect(givenOptions(parsed(doctor(), ['--json', '--no-probe']))).toEqual([]);
  });

  it('keeps what was typed, even a value equal to the default, in the order the syntax declares', () => {
    const root = tempDir('root-');
    const cmd = parsed(doctor(), ['--state-dir', DEFAULT_STATE_DIR, '--config-root', root, '--pid', '1', '--json']);
    expect(givenOptions(cmd)).toEqual([
      ['--pid', '1'],
      ['--config-root', root],
      ['--state-dir', DEFAULT_STATE_DIR],
    ]);
  });

  it('gives a pair per value of a repeated option, and the last of one given twice', () => {
    expect(givenOptions(parsed(validate(), ['--file', 'a.conf', '--file', 'b.conf']))).toEqual([
      ['--file', 'a.conf'],
      ['--file', 'b.conf'],
    ]);
    expect(givenOptions(parsed(doctor(), ['--mount', '/a', '--mount', '/b']))).toEqual([['--mount', '/b']]);
  });
});

import { describe, expect, it } from 'vitest';
import { optionsOf, renderFix } from '../../src/cli/fix-command.js';
import { errorWords } from '../../src/cli/error-words.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { binfmt, option } from '../../src/core/fix.js';

describe("doctor's fixes repeat the options doctor ran with", () => {
  it("reads what each command takes from the command's own syntax", () => {
    expect(optionsOf('apply')).toEqual(expect.arrayContaining(['--config-root', '--state-dir', '--mount', '--pid']));
    expect(optionsOf('status')).not.toContain('--state-dir');
    expect(optionsOf('persist')).not.toContain('--state-dir');
    expect(optionsOf('remove')).toContain('--state-dir');
  });

  it('extends each binfmt command in a fix with what it takes, quoting where needed', () => {
    const repeated: [string, string][] = [
      ['--config-root', 'my root'],
      ['--state-dir', '/tmp/st'],
      ['--mount', '/mnt/b'],
    ];
    expect(renderFix(['install /x, or ', binfmt('remove', 'gone')], repeated)).toBe(
      'install /x, or binfmt remove gone --state-dir /tmp/st --mount /mnt/b',
    );
    expect(renderFix([binfmt('apply')], repeated)).toBe(
      "binfmt apply --config-root 'my root' --state-dir /tmp/st --mount /mnt/b",
    );
    expect(renderFix([binfmt('reorder', 'a', '--before', 'b', '--force'), ', or remove one of them'], repeated)).toBe(
      'binfmt reorder a --before b --force --state-dir /tmp/st --mount /mnt/b, or remove one of them',
    );
    // every command of a fix, also one inside parentheses
    const applyPlan = [binfmt('apply'), ' (', binfmt('plan'), ' shows the fields)'];
    expect(renderFix(applyPlan, [])).toBe('binfmt apply (binfmt plan shows the fields)');
    expect(renderFix(applyPlan, [['--state-dir', 'st']])).toBe(
      'binfmt apply --state-dir st (binfmt plan --state-dir st shows the fields)',
    );
    expect(renderFix(['reinstall /x, or remove the entry'], repeated)).toBe('reinstall /x, or remove the entry');
  });
});

describe('errors name options and commands as data; the CLI spells them', () => {
  it('renders option parts, a fix after the message and an option field with the words of the syntax', () => {
    const e = new BinfmtError('EACCES', ['cannot create ', option('stateDir', '/x')], option('stateDir'), [
      'or choose ',
      option('stateDir'),
      ', or use ',
      binfmt('reorder', 'a', option('before', 'b'), option('force')),
    ]);
    expect(errorWords(e)).toEqual({
      message: 'cannot create --state-dir /x (or choose --state-dir, or use binfmt reorder a --before b --force)',
      field: '--state-dir',
    });
    // the plain text, for where the message goes into another, reads the same
    expect(e.message).toBe(errorWords(e).message);
    expect(e.field).toBe('--state-dir');
  });

  it('refuses an option no command has: a lower layer cannot invent one', () => {
    expect(() => errorWords(new BinfmtError('EINVAL', ['x'], option('noSuchOption')))).toThrow(
      /no binfmt option is named noSuchOption/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { optionsOf, renderFix } from '../../src/cli/fix-command.js';
import { binfmt } from '../../src/core/fix.js';

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

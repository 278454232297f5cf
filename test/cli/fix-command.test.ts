import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { CONTEXT_OPTIONS, renderFix } from '../../src/cli/fix-command.js';
import { binfmt } from '../../src/core/fix.js';

const CONTEXT = ['--config-root', '--state-dir', '--mount'];

describe("doctor's fixes repeat the options doctor ran with", () => {
  it('knows exactly which of them each command takes, as the command table says', () => {
    const fromTable = Object.fromEntries(
      COMMANDS.filter((c) => c.load)
        .map(
          (c) =>
            [
              c.name,
              CONTEXT.filter((f) =>
                f === '--mount' ? c.mount === true : (c.options ?? []).some((o) => o.flags.startsWith(`${f} `)),
              ),
            ] as const,
        )
        .filter(([, flags]) => flags.length > 0),
    );
    expect(Object.fromEntries(Object.entries(CONTEXT_OPTIONS).map(([k, v]) => [k, [...v]]))).toEqual(fromTable);
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

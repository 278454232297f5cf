import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { CONTEXT_OPTIONS, withContext } from '../../src/cli/fix-command.js';

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
    expect(withContext('install /x, or binfmt remove gone', repeated)).toBe(
      'install /x, or binfmt remove gone --state-dir /tmp/st --mount /mnt/b',
    );
    expect(withContext('binfmt apply', repeated)).toBe(
      "binfmt apply --config-root 'my root' --state-dir /tmp/st --mount /mnt/b",
    );
    expect(withContext('binfmt reorder a --before b --force, or remove one of them', repeated)).toBe(
      'binfmt reorder a --before b --force --state-dir /tmp/st --mount /mnt/b, or remove one of them',
    );
    expect(withContext('binfmt apply (binfmt plan shows the fields)', [])).toBe(
      'binfmt apply (binfmt plan shows the fields)',
    );
  });
});

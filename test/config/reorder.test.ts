import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxed, MOUNT } from '../helpers/sandbox.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

describe('binfmt reorder', needs(sandbox()), () => {
  it('moves an owned entry before another, and the kernel then runs it', () => {
    const root = mkdtempSync(join(tmpdir(), 'reorder-'));
    mkdirSync(join(root, 'etc/binfmt.d'), { recursive: true });
    writeFileSync(join(root, 'etc/binfmt.d/a.conf'), ':first:M::SAME::/bin/echo:\n:second:M::SAME::/bin/true:\n');
    const r = sandboxed(
      [
        'S=$(mktemp -d); W=$(mktemp -d); printf SAME > $W/f; chmod +x $W/f',
        `$CLI apply --config-root ${root} --state-dir $S >/dev/null || exit 9`,
        '$W/f hello | wc -l', // second (/bin/true) is newest: prints nothing
        '$CLI reorder first --before second --state-dir $S --json | grep -c "\\"applied\\": true"',
        `ls -U ${MOUNT} | head -2 | tr "\\n" " "; echo`,
        '$W/f hello', // first (/bin/echo) now wins: echo prints the path and hello
        '$CLI reorder first --before second --state-dir $S',
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('0');
    expect(out[1]).toBe('1');
    expect(out[2]).toBe('first second ');
    expect(out[3]).toMatch(/\/f hello$/);
    expect(out[4]).toBe("'first' already matches before 'second'");
  });

  it('refuses to move an entry binfmt does not own unless --force', () => {
    const r = sandboxed(
      [
        'S=$(mktemp -d)',
        `printf ':a:E::a::/bin/sh:' > ${MOUNT}/register; printf ':b:E::b::/bin/sh:' > ${MOUNT}/register`,
        '$CLI reorder a --before b --state-dir $S; echo "rc=$?"',
        '$CLI reorder a --before b --state-dir $S --force >/dev/null; echo "rc=$?"',
        `ls -U ${MOUNT} | head -2 | tr "\\n" " "`,
      ].join('\n'),
    );
    expect(r.stdout.split('\n')).toEqual(['rc=1', 'rc=0', 'a b ']);
    expect(r.stderr).toMatch(
      /'a' was not registered by binfmt; moving it means registering it again \(--force does that\)/,
    );
  });
});

/** binfmt persist / unpersist, in private instances; the crash is a real SIGKILL at rename(2), injected by strace. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxed, MOUNT } from '../helpers/sandbox.js';
import { needs, sandbox, command } from '../helpers/skip-gate.js';

describe('binfmt persist and unpersist', needs(sandbox()), () => {
  it('writes /etc/binfmt.d/NAME.conf that systemd-binfmt reads back into the same entry', () => {
    const root = mkdtempSync(join(tmpdir(), 'persist-'));
    const r = sandboxed(
      `printf ':p1:M:3:AB\\\\xff:\\\\xff\\\\xf0\\\\xff:/bin/sh:PF' > ${MOUNT}/register && $CLI persist p1 --config-root ${root} --json`,
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.path).toBe(join(root, 'etc/binfmt.d/p1.conf'));
    const text = readFileSync(out.path, 'utf8');
    expect(text).toMatch(/^#.*\n:p1:M:3:AB\\xff:\\xff\\xf0\\xff:\/bin\/sh:PF\n$/);
    // what persist wrote registers the same entry again
    const back = sandboxed(
      `S=$(mktemp -d); $CLI apply --config-root ${root} --state-dir $S >/dev/null && cat ${MOUNT}/p1`,
    );
    expect(back.stdout).toBe('enabled\ninterpreter /bin/sh\nflags: PF\noffset 3\nmagic 4142ff\nmask fff0ff\n');
  });

  it('unpersist removes the file; --dry-run on both changes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'persist-'));
    const r = sandboxed(
      [
        `printf ':p2:E::pp::/bin/sh:' > ${MOUNT}/register`,
        `$CLI persist p2 --config-root ${root} --dry-run >/dev/null && ls ${root}/etc/binfmt.d 2>/dev/null | wc -l`,
        `$CLI persist p2 --config-root ${root} >/dev/null && ls ${root}/etc/binfmt.d`,
        `$CLI unpersist p2 --config-root ${root} --dry-run >/dev/null && ls ${root}/etc/binfmt.d`,
        `$CLI unpersist p2 --config-root ${root} >/dev/null && ls ${root}/etc/binfmt.d | wc -l`,
        `$CLI unpersist p2 --config-root ${root}; echo "rc=$?"`,
      ].join('\n'),
    );
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['0', 'p2.conf', 'p2.conf', '0', 'rc=1']);
    expect(r.stderr).toMatch(/p2\.conf does not exist: 'p2' is not persisted by binfmt/);
  });

  it('a crash between writing and renaming leaves the old file intact', needs(command('strace', '-V')), () => {
    const root = mkdtempSync(join(tmpdir(), 'persist-'));
    const r = sandboxed(
      [
        `printf ':p3:E::old::/bin/sh:' > ${MOUNT}/register`,
        `$CLI persist p3 --config-root ${root} >/dev/null || exit 9`,
        `echo -1 > ${MOUNT}/p3; printf ':p3:E::new::/bin/sh:' > ${MOUNT}/register`,
        `strace -f -o /dev/null -e trace=rename,renameat,renameat2 -e inject=rename,renameat,renameat2:signal=KILL $CLI persist p3 --config-root ${root}`,
        'echo "rc=$?"',
      ].join('\n'),
    );
    expect(r.stdout.trim().split('\n').at(-1)).toBe('rc=137');
    const dir = join(root, 'etc/binfmt.d');
    expect(readFileSync(join(dir, 'p3.conf'), 'utf8')).toContain(':p3:E::old::/bin/sh:');
    // the new content did reach the disk, under a hidden temporary name systemd ignores
    const tmp = readdirSync(dir).filter((n) => n !== 'p3.conf');
    expect(tmp).toHaveLength(1);
    expect(tmp[0]).toMatch(/^\.p3\.conf\.\d+\.tmp$/);
    expect(readFileSync(join(dir, tmp[0]!), 'utf8')).toContain(':p3:E::new::/bin/sh:');
    expect(existsSync(join(dir, 'p3.conf'))).toBe(true);
  });
});

/** binfmt persist / unpersist, in private instances; the crash is a real SIGKILL at rename(2), injected by strace. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, MOUNT } from '../helpers/sandbox.js';
import { binfmt, must, register, run, sandboxedSteps, write } from '../helpers/steps.js';
import { needs, sandbox, command } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

describe('binfmt persist and unpersist', needs(sandbox()), () => {
  it('writes /etc/binfmt.d/NAME.conf that systemd-binfmt reads back into the same entry', () => {
    const root = tempDir('persist-');
    const [, r] = sandboxedSteps([
      must(register(':p1:M:3:AB\\xff:\\xff\\xf0\\xff:/bin/sh:PF')),
      binfmt('persist', 'p1', '--config-root', root, '--json'),
    ]);
    expect(r!.status).toBe(0);
    const out = JSON.parse(r!.stdout);
    expect(out.path).toBe(join(root, 'etc/binfmt.d/p1.conf'));
    const text = readFileSync(out.path, 'utf8');
    expect(text).toMatch(/^#.*\n:p1:M:3:AB\\xff:\\xff\\xf0\\xff:\/bin\/sh:PF\n$/);
    // what persist wrote registers the same entry again
    const state = tempDir('state-');
    const [, back] = sandboxedSteps([
      must(binfmt('apply', '--config-root', root, '--state-dir', state)),
      run('cat', `${MOUNT}/p1`),
    ]);
    expect(back!.stdout).toBe('enabled\ninterpreter /bin/sh\nflags: PF\noffset 3\nmagic 4142ff\nmask fff0ff\n');
  });

  it('unpersist removes the file; --dry-run on both changes nothing', () => {
    const root = tempDir('persist-');
    const dir = join(root, 'etc/binfmt.d');
    // each change, then what the directory holds (nothing at all before the first persist)
    const then = (...args: string[]) => [must(binfmt(...args, 'p2', '--config-root', root)), run('ls', '-A', dir)];
    const r = sandboxedSteps([
      must(register(':p2:E::pp::/bin/sh:')),
      ...then('persist', '--dry-run'),
      ...then('persist'),
      ...then('unpersist', '--dry-run'),
      ...then('unpersist'),
      binfmt('unpersist', 'p2', '--config-root', root),
    ]);
    const listed = r.slice(1, -1).filter((_, i) => i % 2 === 1);
    expect(listed.map((l) => l.stdout)).toEqual(['', 'p2.conf\n', 'p2.conf\n', '']);
    expect(r.at(-1)!.status).toBe(1);
    expect(r.at(-1)!.stderr).toMatch(/p2\.conf does not exist: 'p2' is not persisted by binfmt/);
  });

  it('a crash between writing and renaming leaves the old file intact', needs(command('strace', '-V')), () => {
    const root = tempDir('persist-');
    const renames = 'rename,renameat,renameat2';
    const strace = ['strace', '-f', '-o', '/dev/null', '-e', `trace=${renames}`, '-e', `inject=${renames}:signal=KILL`];
    const r = sandboxedSteps([
      register(':p3:E::old::/bin/sh:'),
      must(binfmt('persist', 'p3', '--config-root', root)),
      write(`${MOUNT}/p3`, '-1\n'),
      register(':p3:E::new::/bin/sh:'),
      run(...strace, process.execPath, CLI, 'persist', 'p3', '--config-root', root),
    ]);
    expect(r.at(-1)!.signal).toBe('SIGKILL');
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

/**
 * AT_SECURE: the loader reads nothing from the environment, refuses command
 * mode (its options would be attacker-controlled) and passes AT_SECURE
 * through, so ld.so runs the program in secure mode. Needs root to make a
 * set-user-ID copy and util-linux setpriv to run it as nobody.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { GLIBC_LDSO, LOADER, SELFEXEC_ENV, buildFixtures, fixture, parseProbe, run, AT } from './helpers.js';
import { cli } from '../helpers/sandbox.js';
import { needs, root, command } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

describe('AT_SECURE (set-user-ID copies run as nobody)', needs(root(), command('setpriv', '--version')), () => {
  let dir: string;
  beforeAll(() => {
    buildFixtures();
    dir = tempDir('binfmt-secure-');
    chmodSync(dir, 0o755);
    copyFileSync(fixture('probe'), join(dir, 'probe'));
    chmodSync(join(dir, 'probe'), 0o755);
    copyFileSync(LOADER, join(dir, 'loader-suid'));
    chmodSync(join(dir, 'loader-suid'), 0o4755);
    expect(cli(['loader', 'stamp', '--out', join(dir, 'stamped-suid'), '--ld', GLIBC_LDSO]).status).toBe(0);
    chmodSync(join(dir, 'stamped-suid'), 0o4755);
  });

  it('refuses command mode when AT_SECURE is set', () => {
    const r = run([...AS_NOBODY, join(dir, 'loader-suid'), '--ld', '/tmp/evil-ld.so', '--', join(dir, 'probe')]);
    expect(r.status).toBe(127);
    expect(r.stderr).toBe('binfmt-loader: (no program): command mode refused: AT_SECURE is set\n');
  });

  it('passes AT_SECURE through: ld.so runs the program in secure mode', () => {
    const env = { PATH: '/usr/bin:/bin', LD_LIBRARY_PATH: '/tmp/evil', LD_PRELOAD: '/tmp/evil.so', KEEP: 'yes' };
    const r = run([...AS_NOBODY, join(dir, 'stamped-suid'), join(dir, 'probe'), 'x'], { env });
    expect(r.status).toBe(0);
    const p = parseProbe(r.stdout);
    expect(p.auxv.get(AT.SECURE)).toBe(1);
    expect(p.argv).toEqual([join(dir, 'probe'), 'x']);
    // glibc's secure mode drops the unsafe variables; the rest stays.
    expect(p.env).toContain('KEEP=yes');
    expect(p.env.some((e) => e.startsWith('LD_LIBRARY_PATH=') || e.startsWith('LD_PRELOAD='))).toBe(false);
  });

  it('never reads BINFMT_LOADER_EXE: a value from the environment must not choose what a privileged exec runs', () => {
    // Without AT_SECURE each of these direct execs would run /bin/echo instead.
    const env = { PATH: '/usr/bin:/bin', [SELFEXEC_ENV]: '/bin/echo' };
    const cmd = run([...AS_NOBODY, join(dir, 'loader-suid'), 'again'], { env });
    expect(cmd.status).toBe(127);
    expect(cmd.stderr).toBe('binfmt-loader: (no program): command mode refused: AT_SECURE is set\n');
    const stamped = run([...AS_NOBODY, join(dir, 'stamped-suid'), join(dir, 'probe'), 'x'], { env });
    expect(stamped.status).toBe(0);
    expect(parseProbe(stamped.stdout).argv).toEqual([join(dir, 'probe'), 'x']);
    // Not secure: the same stamped copy, executed as itself, re-runs the named program.
    copyFileSync(join(dir, 'stamped-suid'), join(dir, 'stamped'));
    chmodSync(join(dir, 'stamped'), 0o755);
    expect(run([...AS_NOBODY, join(dir, 'stamped'), 'hello'], { env }).stdout).toBe('hello\n');
  });
});

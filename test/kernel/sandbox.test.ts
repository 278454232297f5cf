import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, CLI, MOUNT } from '../helpers/sandbox.js';
import { must, register, run, sandboxedSteps } from '../helpers/steps.js';
import { command, needs, root, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

/** An ordinary user (not in the sandbox's maps: it runs `binfmt sandbox` itself, as any user may). */
const USER = 1000;
const ANNOUNCE =
  'binfmt sandbox: private binfmt_misc at /proc/sys/fs/binfmt_misc; in memory, discarded at exit: /run/binfmt (empty) /etc/binfmt.d (copy) /usr/local/lib/binfmt (empty)';

describe('binfmt sandbox', needs(sandbox()), () => {
  it('gives the command an empty private binfmt_misc at the usual path', () => {
    const [listed, status] = sandboxedSteps([run('ls', MOUNT), run('cat', `${MOUNT}/status`)]);
    expect([listed!.status, status!.status]).toEqual([0, 0]);
    expect([listed!.stdout, status!.stdout]).toEqual(['register\nstatus\n', 'enabled\n']);
  });

  it('keeps what is registered inside from the machine', () => {
    const [, r] = sandboxedSteps([
      must(register(':sandbox-probe:E::sbxprobe::/bin/echo:')),
      run('cat', `${MOUNT}/sandbox-probe`),
    ]);
    expect(r!.status).toBe(0);
    expect(r!.stdout).toContain('extension .sbxprobe');
    const hostEntries = existsSync(`${MOUNT}/status`) ? readdirSync(MOUNT) : [];
    expect(hostEntries).not.toContain('sandbox-probe');
  });
});

describe('binfmt sandbox -- CMD exits as a shell would', needs(sandbox()), () => {
  const cases: [string, string[], number, string | null][] = [
    ['its own status', ['sh', '-c', 'exit 3'], 3, null],
    ['128 + SIGKILL', ['sh', '-c', 'kill -KILL $$'], 137, 'binfmt: sandbox: sh was killed by SIGKILL'],
    ['128 + SIGTERM', ['sh', '-c', 'kill -TERM $$'], 143, 'binfmt: sandbox: sh was killed by SIGTERM'],
    ['128 + SIGSEGV', ['sh', '-c', 'kill -SEGV $$'], 139, 'binfmt: sandbox: sh was killed by SIGSEGV'],
    ['127 for a missing file', ['/nonexistent'], 127, 'binfmt sandbox: /nonexistent: not found'],
    [
      '127 for a command not on PATH',
      ['binfmt-no-such-command'],
      127,
      'binfmt sandbox: binfmt-no-such-command: not found',
    ],
  ];
  for (const [what, cmd, status, said] of cases) {
    it(`${cmd.join(' ')}: ${what} (${status})`, () => {
      const r = cli(['sandbox', '--', ...cmd]);
      expect(r.status).toBe(status);
      expect(r.stderr.split('\n').filter(Boolean)).toEqual([ANNOUNCE, ...(said ? [said] : [])]);
    });
  }

  it('126 for a file that is not executable', () => {
    const file = join(tempDir('binfmt-sbx-'), 'script');
    writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const r = cli(['sandbox', '--', file]);
    expect(r.status).toBe(126);
    expect(r.stderr).toContain(`binfmt sandbox: ${file}: permission denied\n`);
  });
});

describe('binfmt sandbox as an ordinary user', needs(sandbox(), root(), command('setpriv', '--version')), () => {
  it("starts with empty state and loader directories and a writable copy of binfmt.d, where the host's are root's", () => {
    // The "host" is a private mount namespace whose /run/binfmt holds root's state and lock, with a root-owned
    // /etc/binfmt.d and loader copy: the machine's own places are never touched.
    const work = tempDir('binfmt-sbx-user-');
    chmodSync(work, 0o700);
    chownSync(work, USER, USER);
    const script = fileURLToPath(new URL('scripts/sandbox-as-user.sh', import.meta.url));
    const r = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', '--', 'bash', script, `${USER}`, work, CLI],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const [start, rest] = r.stdout.split('@@session\n');
    const [session, host] = rest!.split('@@host\n');
    expect(start).toBe('@@start\n/etc/binfmt.d:\nuser.conf\n\n/run/binfmt:\n\n/usr/local/lib/binfmt:\n');
    expect(session!.match(/^@@ .*$/gm)).toEqual([
      '@@ apply exit 0',
      '@@ plan exit 0',
      '@@ register exit 0',
      '@@ reorder exit 0',
      '@@ import exit 0',
      '@@ persist exit 0',
      '@@ register exit 0',
      '@@ edit exit 0',
    ]);
    expect(session).toMatch(/^unchanged +sbx-user$/m);
    expect(r.stderr).not.toMatch(/EACCES|another binfmt_misc instance|not recorded/);
    // What the user may not read is left out of the copy, and said so.
    expect(r.stderr).toContain('binfmt sandbox: the private copy of /etc/binfmt.d lacks what you may not read\n');
    // Root's places are as they were.
    expect(host).toBe(
      [
        '/etc/binfmt.d 0 755',
        '/etc/binfmt.d/secret.conf 0 600',
        '/etc/binfmt.d/user.conf 0 644',
        '/run/binfmt 0 755',
        '/run/binfmt/proc-sys-fs-binfmt_misc.json 0 644',
        '/run/binfmt/proc-sys-fs-binfmt_misc.json.lock 0 644',
        '/usr/local/lib/binfmt 0 755',
        '/usr/local/lib/binfmt/loaders 0 755',
        '/usr/local/lib/binfmt/loaders/slulb 0 644',
        '{"version":1,"mount":"/proc/sys/fs/binfmt_misc","instance":"1:2","entries":[]}',
        'host',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
  });
});

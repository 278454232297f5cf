/**
 * Messages that said the wrong thing: the bad argument before the mount,
 * columns that line up, a dry run anyone may ask for, a kernel version that
 * cannot be, input echoed as typed and not whole when huge.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { binfmt, must, sandboxedSteps } from '../helpers/steps.js';
import { CLI, cli } from '../helpers/sandbox.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

describe('messages', () => {
  it('status names a bad state, whatever the mount', () => {
    const r = cli(['status', 'maybe', '--mount', '/nonexistent']);
    expect([r.status, r.stderr]).toEqual([2, "binfmt: status: expected 'on' or 'off', got 'maybe'\n"]);
  });

  it('rootfs --dry-run needs no root', () => {
    // An unmapped user namespace: uid 65534, not root.
    const r = spawnSync(
      'unshare',
      ['--user', process.execPath, CLI, 'rootfs', 'bookworm', '/nonexistent/r', '--dry-run'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^would make a bookworm root filesystem .* in \/nonexistent\/r \(as root\): debootstrap --foreign /,
    );
  });

  it('validate refuses a kernel version that cannot be, and says when it judges past the newest known', () => {
    const bad = cli(['validate', '--kernel', '99.99', ':a:E::x::/bin/sh:']);
    expect([bad.status, bad.stderr]).toEqual([
      2,
      "binfmt: validate: --kernel: '99.99' is not a Linux release (the newest binfmt was checked on is 6.18.44)\n",
    ]);
    const newer = cli(['validate', '--kernel', '6.19', ':a:E::x::/bin/sh:']);
    expect([newer.status, newer.stdout]).toEqual([0, "valid: ':a:E::x::/bin/sh:'\n"]);
    expect(newer.stderr).toBe(
      'binfmt: validate: --kernel 6.19 is newer than any kernel binfmt was checked on (6.18.44): judged by the newest rules known\n',
    );
  });

  it('validate echoes input as typed, and cuts a huge line', () => {
    const typed = cli(['validate', ':a:M::\\x41\\\\::/bin/sh:']);
    expect(typed.stdout).toBe("valid: ':a:M::\\x41\\\\::/bin/sh:'\n");
    const nl = cli(['validate', '--stdin', '-z'], { input: 'PxPEPPzPP/bin/shP\n' });
    expect(nl.stdout.split('\n')[0]).toMatch(/: \$'PxPEPPzPP\/bin\/shP\\n'$/);
    const huge = cli(['validate', '--stdin'], { input: `:a:E::x::/bin/sh:${'A'.repeat(120_000)}\n` });
    const head = huge.stdout.split('\n')[0]!;
    expect(head.length).toBeLessThan(300);
    expect(head).toMatch(/^<stdin>:1: invalid \(EINVAL\): ':a:E::x::\/bin\/sh:A+'… \(120017 characters in all\)$/);
  });
});

describe('list', needs(sandbox()), () => {
  it('lines its columns up', () => {
    const [, , r] = sandboxedSteps([
      must(binfmt('register', '--line', ':a-long-name:E::x::/bin/true:')),
      must(binfmt('register', '--line', ':b:M:2:AB:\\xff\\xdf:/bin/false:P')),
      must(binfmt('list')),
    ]);
    expect(r!.stdout).toBe(
      'enabled   b            magic 4142 mask ffdf @2  -> /bin/false  [P]\n' +
        'enabled   a-long-name  extension .x             -> /bin/true\n',
    );
  });
});

/**
 * An ordinary user inside the namespace that owns the binfmt_misc instance
 * may not change it: the kernel answers EACCES (register is mode 0200, owned
 * by the namespace's root), and the CLI says so, naming the instance and what
 * it needs, with exit status 1. Root in the same namespace can: the control.
 */
import { describe, expect, it } from 'vitest';
import { CLI, MOUNT } from '../helpers/sandbox.js';
import { binfmt, entries, must, run, sandboxedSteps } from '../helpers/steps.js';
import { needs, sandboxUsers } from '../helpers/skip-gate.js';

/** An ordinary user and group inside the namespace (mapped onto the same ids outside). */
const USER = 1000;
const LINE = ':perm-probe:E::permprobe::/bin/true:';
const AS_USER = ['setpriv', '--reuid', `${USER}`, '--regid', `${USER}`, '--clear-groups'];
const asUser = (...args: string[]) => run(...AS_USER, process.execPath, CLI, ...args);

describe('changing binfmt_misc as an ordinary user', needs(sandboxUsers()), () => {
  it('fails with exit 1 and says it needs root in the owning user namespace', () => {
    const [r, listed] = sandboxedSteps([asUser('register', '--line', LINE), entries()], { mapUsers: true });
    expect(r!.status).toBe(1);
    expect(r!.stderr).toMatch(
      new RegExp(
        `binfmt: open 'perm-probe': permission denied: changing ${MOUNT} needs root in the user namespace that owns it`,
      ),
    );
    expect(listed!.stdout.split('\n')).toEqual(expect.arrayContaining(['register', 'status']));
    expect(listed!.stdout.split('\n')).not.toContain('perm-probe');
  });

  it('gives the same error as JSON with --json', () => {
    const [r] = sandboxedSteps([asUser('register', '--json', '--line', LINE)], { mapUsers: true });
    expect(r!.status).toBe(1);
    const json = JSON.parse(r!.stdout) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('EACCES');
    expect(json.error.message).toContain('needs root in the user namespace that owns it');
  });

  it('works for root in the same namespace', () => {
    const [, r] = sandboxedSteps([must(binfmt('register', '--line', LINE)), run('cat', `${MOUNT}/perm-probe`)], {
      mapUsers: true,
    });
    expect(r!.status).toBe(0);
    expect(r!.stdout).toContain('extension .permprobe');
  });
});

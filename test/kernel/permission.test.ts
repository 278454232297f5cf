/**
 * An ordinary user inside the namespace that owns the binfmt_misc instance
 * may not change it: the kernel answers EACCES (register is mode 0200, owned
 * by the namespace's root), and the CLI says so, naming the instance and what
 * it needs, with exit status 1. Root in the same namespace can: the control.
 */
import { describe, expect, it } from 'vitest';
import { sandboxed, CLI, MOUNT } from '../helpers/sandbox.js';
import { needs, sandboxUsers } from '../helpers/skip-gate.js';

/** An ordinary user and group inside the namespace (mapped onto the same ids outside). */
const USER = 1000;
const LINE = ':perm-probe:E::permprobe::/bin/true:';
const AS_USER = `setpriv --reuid ${USER} --regid ${USER} --clear-groups`;

describe('changing binfmt_misc as an ordinary user', needs(sandboxUsers()), () => {
  it('fails with exit 1 and says it needs root in the owning user namespace', () => {
    const r = sandboxed(`${AS_USER} node ${CLI} register --line '${LINE}'; echo "exit=$?"; ls ${MOUNT}`, {
      mapUsers: true,
    });
    expect(r.stdout).toContain('exit=1');
    expect(r.stderr).toMatch(
      new RegExp(
        `binfmt: open 'perm-probe': permission denied: changing ${MOUNT} needs root in the user namespace that owns it`,
      ),
    );
    expect(r.stdout.split('\n')).not.toContain('perm-probe');
  });

  it('gives the same error as JSON with --json', () => {
    const r = sandboxed(`${AS_USER} node ${CLI} register --json --line '${LINE}'; echo "exit=$?" >&2`, {
      mapUsers: true,
    });
    expect(r.stderr).toContain('exit=1');
    const json = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('EACCES');
    expect(json.error.message).toContain('needs root in the user namespace that owns it');
  });

  it('works for root in the same namespace', () => {
    const r = sandboxed(`node ${CLI} register --line '${LINE}' && cat ${MOUNT}/perm-probe`, { mapUsers: true });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('extension .permprobe');
  });
});

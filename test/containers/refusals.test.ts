/**
 * Bad input for --pid and the OCI hook: each a clear one-line error with exit
 * status 1, and nothing registered anywhere (the machine's binfmt_misc as it
 * was, no binfmt_misc mounted in the other process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { kernelSupportsPid } from '../../src/kernel/pid-instance.js';
import { cli } from '../helpers/sandbox.js';
import { asTestUser, hostBinfmt, installBinfmt, podmanSupport, userDir } from '../helpers/podman.js';
import { needs } from '../helpers/skip-gate.js';

const s = podmanSupport();
/** Above the largest pid_max Linux allows (PID_MAX_LIMIT, 4194304 on 64-bit): no such process, ever. */
const NO_PID = 4194305;

describe('--pid needs a kernel with binfmt_misc per user namespace', () => {
  it('6.7 and later', () => {
    expect(['6.7.0', '6.18.44-fc', '7.0.1'].map((r) => kernelSupportsPid(r))).toEqual([true, true, true]);
    expect(['6.6.30', '5.15.0-91-generic', 'weird'].map((r) => kernelSupportsPid(r))).toEqual([false, false, false]);
  });
});

describe('the hook refuses a state that is not one', () => {
  it.each([
    ['{not json', /^binfmt: container state: not JSON/],
    ['{"id":"c1","pid":"7","bundle":"/b"}', /^binfmt: container state: "pid" must be a positive integer/],
    ['{"id":"c1","pid":7}', /^binfmt: container state: "bundle" must be an absolute path/],
  ])('%s', (input, msg) => {
    const r = cli(['oci-hook', 'run', '--loader-dir', '/nonexistent'], { input });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
  it('a container that asked, whose bundle cannot be read, fails with one line', () => {
    const input = JSON.stringify({
      id: 'c2',
      pid: 7,
      bundle: '/nonexistent',
      annotations: { 'run.binfmt.host-runtime': 'true' },
    });
    const r = cli(['oci-hook', 'run', '--loader-dir', '/nonexistent'], { input });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^binfmt: oci-hook: container c2 \(pid 7\): host-runtime not registered: cannot read \/nonexistent\/config.json/,
    );
  });
  it('a container it does not match passes, even without a readable bundle', () => {
    const r = cli(['oci-hook', 'run', '--loader-dir', '/nonexistent', '--json'], {
      input: JSON.stringify({ id: 'c3', pid: 7, bundle: '/nonexistent' }),
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ container: 'c3', match: null, action: 'skipped' });
  });
});

describe('--pid refusals', needs(s), () => {
  let other: ChildProcess;
  let B = '';
  let before = '';
  let dir = '';
  beforeAll(async () => {
    before = hostBinfmt();
    dir = userDir('binfmt-refusals-');
    B = `${process.execPath} ${installBinfmt(dir)}`;
    // A process in a user namespace of another user (root's), like another user's rootless container.
    other = spawn('unshare', ['--user', '--map-root-user', '--mount', 'sleep', '120'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(() => {
    other?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const asUser = (args: string) => asTestUser(`${B} ${args}; echo "rc=$?"`);

  it('a process that does not exist', () => {
    const r = asUser(`list --pid ${NO_PID}`);
    expect(r.stdout).toBe('rc=1\n');
    expect(r.stderr).toBe(`binfmt: --pid ${NO_PID}: no such process\n`);
  });

  it("a process of the host (the initial user namespace): its instance is the machine's own", () => {
    const r = asTestUser(`${B} register --pid $$ --line ':x:E::x::/bin/true:'; echo "rc=$?"`);
    expect(r.stdout).toBe('rc=1\n');
    expect(r.stderr).toMatch(
      /^binfmt: --pid \d+: that process is in the initial user namespace, whose binfmt_misc is the machine's own; refusing\n$/,
    );
    const root = cli(['list', '--pid', String(process.pid)]);
    expect(root.status).toBe(1);
    expect(root.stderr).toMatch(/initial user namespace/);
  });

  it("another user's process in its own user namespace: may not enter", () => {
    const r = asUser(`register --pid ${other.pid} --line ':x:E::x::/bin/true:'`);
    expect(r.stdout).toBe('rc=1\n');
    expect(r.stderr).toMatch(
      new RegExp(
        `^binfmt: --pid ${other.pid}: you may not enter its namespaces \\(EACCES on /proc/${other.pid}/ns/user\\): it is not yours\\n$`,
      ),
    );
    expect(readFileSync(`/proc/${other.pid}/mountinfo`, 'utf8')).not.toContain('binfmt_misc');
  });

  it('--json gives the same error as a value', () => {
    const r = asTestUser(`${B} list --json --pid ${NO_PID}`);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'ESRCH', message: `--pid ${NO_PID}: no such process`, field: '--pid' },
    });
  });

  it("left the machine's own binfmt_misc as it was", () => {
    expect(hostBinfmt()).toBe(before);
  });
});

/**
 * Foreign-architecture containers with real rootless podman, as the ordinary
 * test user: an arm64 Debian image (debootstrap, both stages) on this CPU.
 * `binfmt emulate --podman` registers qemu in podman's user namespace, and
 * the emulation OCI hook registers it per container with no emulate step at
 * all (also from podman's default hooks directory, mounted over in a private
 * mount namespace). The machine's own binfmt_misc, /run/binfmt and
 * /etc/binfmt.d stay as they were.
 *
 * The test user's podman runs with a runtime directory of this file's own,
 * so that its pause process (which holds podman's user namespace, and with
 * it the registrations) is this file's and can be killed without touching
 * other tests' containers. Every command and what it printed goes to
 * .cache/emulate-podman-transcript.txt.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import {
  asTestUser,
  giveToTestUser,
  hostBinfmt,
  installBinfmt,
  podmanSupport,
  TEST_USER,
  STEP_FUNCTION,
  stepOutput,
  userDir,
} from '../helpers/podman.js';
import {
  ARM64_IMAGE,
  ensureForeignImages,
  foreignPodmanEnv,
  KILL_PAUSE,
  NATIVE_IMAGE,
  QEMU_AARCH64,
} from '../helpers/arm64-image.js';
import { needs } from '../helpers/skip-gate.js';

const s = podmanSupport();

/** What must not change on the machine: its binfmt_misc (mounted or not), /run/binfmt, /etc/binfmt.d. */
function hostState(): string {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - binfmt_misc /.test(l))
    .map((l) => l.split(' ').slice(4, 5).join(' '));
  const tree = (dir: string): string[] => {
    if (!existsSync(dir)) return [`${dir}: absent`];
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      return e.isDirectory() ? tree(p) : [`${p}: ${e.isFile() ? readFileSync(p, 'utf8') : 'other'}`];
    });
  };
  return [hostBinfmt(), ...mounts, ...tree('/run/binfmt'), ...tree('/etc/binfmt.d')].join('\n');
}

/** The packages dpkg's status file (its text) records as installed. */
function packagesIn(status: string): string[] {
  return status
    .split('\n\n')
    .filter((p) => /^Status: install ok installed$/m.test(p))
    .map((p) => /^Package: (\S+)$/m.exec(p)![1]!)
    .sort();
}

/**
 * The images, and a directory of the test user's with binfmt installed, the
 * emulator (not writable by others: with F the kernel opens it with the
 * credentials of whoever writes register, here the test user as root of
 * podman's user namespace) and an empty subdirectory `sub`.
 */
function setUp(prefix: string, sub: string): { dir: string; B: string } {
  ensureForeignImages('foreign');
  const dir = userDir(prefix);
  const B = `${process.execPath} ${installBinfmt(join(dir, 'pkg'))}`;
  mkdirSync(join(dir, 'qemu'));
  copyFileSync(QEMU_AARCH64, join(dir, 'qemu', 'qemu-aarch64-static'));
  mkdirSync(join(dir, sub));
  giveToTestUser(dir);
  return { dir, B };
}

describe('foreign-architecture containers in rootless podman', needs(s), () => {
  let dir = '';
  let out = '';
  let before = '';

  beforeAll(() => {
    before = hostState();
    let B: string;
    ({ dir, B } = setUp('binfmt-emulate-', 'hooks'));
    const img = ARM64_IMAGE;
    const E = `--emulator-dir ${dir}/qemu`;
    const P = 'podman --log-level error';
    const run = `${P} run --rm --network none --platform linux/arm64`;
    const hooked = `${P} --hooks-dir ${dir}/hooks run --rm --network none --platform linux/arm64`;
    // Killing the pause process ends podman's user namespace, and the registrations with it.
    const killPause = KILL_PAUSE;
    const r = asTestUser(
      `
      ${foreignPodmanEnv(dir, 'foreign')}
      ${STEP_FUNCTION}
      sh -c '${killPause}'
      step before ${run} ${img} /usr/bin/uname -m
      step emulate ${B} emulate --podman aarch64 ${E}
      step emulate-again ${B} emulate --podman aarch64 ${E}
      step uname ${run} ${img} /usr/bin/uname -m
      step dpkg ${run} ${img} dpkg-query -W -f '\${Package}\\n'
      # dpkg's own record, copied out of the image without running it (no emulation involved)
      step status sh -c "c=\\$(${P} create --network none --platform linux/arm64 ${img} /bin/true) && ${P} cp \\$c:/var/lib/dpkg/status - | tar -xOf - && ${P} rm -f \\$c >/dev/null"
      step keep-id ${run} --userns keep-id ${img} /usr/bin/uname -m
      step kill-pause sh -c '${killPause}'
      step after-kill ${run} ${img} /usr/bin/uname -m
      step emulate-back ${B} emulate --podman aarch64 ${E}
      step uname-back ${run} ${img} /usr/bin/uname -m
      step kill-pause-2 sh -c '${killPause}'
      step hook-install ${B} oci-hook install --hooks-dir ${dir}/hooks --loader-dir ${dir}/loaders ${E} --log ${dir}/hook.log
      step hook-uname ${hooked} ${img} /usr/bin/uname -m
      step hook-mounted ${hooked} ${img} /bin/sh -c 'head -n 3 /proc/sys/fs/binfmt_misc/qemu-aarch64'
      step hook-keep-id ${hooked} --userns keep-id ${img} uname -m
      step hook-native ${P} --hooks-dir ${dir}/hooks run --rm --network none ${NATIVE_IMAGE} /bin/true
      step hook-off ${hooked} --annotation run.binfmt.emulate=off ${img} /usr/bin/uname -m
      step hook-riscv ${hooked} --annotation run.binfmt.emulate=riscv64 ${img} /usr/bin/uname -m
      step hook-bad ${hooked} --annotation run.binfmt.emulate=vax ${img} /usr/bin/uname -m
      step kill-pause-3 sh -c '${killPause}'
      # Both live a while, so that the second hook finds the first one's entry (or registers it the same instant).
      ${hooked} ${img} /bin/sh -c 'uname -m; sleep 5' > ${dir}/c1 2>&1 & p1=$!
      ${hooked} ${img} /bin/sh -c 'uname -m; sleep 5' > ${dir}/c2 2>&1 & p2=$!
      wait $p1; r1=$?; wait $p2; r2=$?
      step concurrent sh -c "cat ${dir}/c1 ${dir}/c2; echo $r1 $r2"
      step hook-log cat ${dir}/hook.log
      step kill-pause-4 sh -c '${killPause}'
    `,
      { timeoutMs: 1_200_000 },
    );
    out = r.stdout;
    writeFileSync(join(ROOT, '.cache', 'emulate-podman-transcript.txt'), out + `\n[stderr]\n${r.stderr}`);
    expect(r.status).toBe(0);
  });
  afterEach(() => {
    expect(hostState()).toBe(before);
  });
  afterAll(() => {
    if (dir) asTestUser(`${foreignPodmanEnv(dir, 'foreign')}\n${KILL_PAUSE}`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const step = (name: string): string => stepOutput(out, name);

  it('an arm64 program fails with exec format error before anything is registered', () => {
    expect(step('before')).toMatch(/exec format error/);
    expect(step('before')).not.toMatch(/rc=0$/);
  });

  it('emulate --podman makes it run, converges, and the image is whole', () => {
    expect(step('emulate')).toMatch(/rc=0$/);
    expect(step('emulate-again')).toMatch(/rc=0$/);
    expect(step('uname')).toBe('aarch64\nrc=0');
    const listed = step('dpkg')
      .replace(/\nrc=0$/, '')
      .split('\n')
      .sort();
    const recorded = packagesIn(step('status').replace(/\nrc=0$/, ''));
    expect(recorded.length).toBeGreaterThan(50);
    expect(listed).toEqual(recorded);
    expect(listed).toContain('dpkg');
    expect(step('keep-id')).toBe('aarch64\nrc=0');
  });

  it('a new pause process has a fresh user namespace; emulate --podman registers again', () => {
    expect(step('kill-pause')).toMatch(/rc=0$/);
    expect(step('after-kill')).toMatch(/exec format error/);
    expect(step('emulate-back')).toMatch(/rc=0$/);
    expect(step('uname-back')).toBe('aarch64\nrc=0');
  });

  it('the OCI hook registers qemu per container, with no emulate step', () => {
    expect(step('hook-install')).toContain(`${dir}/hooks/binfmt-emulate.json`);
    const hook = JSON.parse(readFileSync(join(dir, 'hooks', 'binfmt-emulate.json'), 'utf8'));
    expect(hook.when).toEqual({ always: true });
    expect(hook.hook.args).toContain(`${dir}/qemu`);
    expect(step('hook-uname')).toBe('aarch64\nrc=0');
    expect(step('hook-keep-id')).toBe('aarch64\nrc=0');
    // The instance is attached where the container sees it, for as long as it runs.
    expect(step('hook-mounted')).toBe(`enabled\ninterpreter ${dir}/qemu/qemu-aarch64-static\nflags: POF\nrc=0`);
    expect(step('hook-log')).toMatch(
      /registered qemu-aarch64 -> \S+qemu-aarch64-static in its binfmt_misc \(\/usr\/bin\/uname is aarch64\)/,
    );
  });

  it('a native container is left alone', () => {
    expect(step('hook-native')).toBe('rc=0');
    expect(step('hook-log')).toMatch(/no emulation needed: \/bin\/busybox is native/);
  });

  it('the annotation overrides: off does nothing, an architecture without its emulator fails with the reason', () => {
    expect(step('hook-off')).toMatch(/exec format error/);
    expect(step('hook-riscv')).toMatch(/qemu-riscv64 not registered: riscv64: no emulator/);
    expect(step('hook-riscv')).not.toMatch(/rc=0$/);
    expect(step('hook-bad')).toMatch(
      /no emulator registered: annotation run\.binfmt\.emulate=vax: not an architecture qemu emulates/,
    );
    expect(step('hook-bad')).not.toMatch(/rc=0$/);
  });

  it('two containers of the same user namespace starting at once both run', () => {
    expect(step('concurrent')).toBe('aarch64\naarch64\n0 0\nrc=0');
    const log = step('hook-log');
    expect(log).toMatch(/registered qemu-aarch64 -> \S+ in its binfmt_misc \(\/usr\/bin\/dash is aarch64\)/);
    expect(log).toMatch(/qemu-aarch64 is already registered in its binfmt_misc \(\/usr\/bin\/dash is aarch64\)/);
  });
});

/**
 * The hook from podman's default hooks directory, /usr/share/containers/oci/hooks.d,
 * which no option names. It is mounted over in a private mount namespace
 * only (a tmpfs copy of /usr/share/containers with the hook added): the
 * machine's directory stays as it was. The test user's podman starts its
 * pause process inside that namespace, so podman reads the copy.
 */
describe('the emulation hook from podman default hooks directory', needs(s), () => {
  let dir = '';
  let out = '';
  let before = '';
  const SHARE = '/usr/share/containers';

  beforeAll(() => {
    before = hostState();
    let B: string;
    ({ dir, B } = setUp('binfmt-emulate-default-', 'share'));
    const img = ARM64_IMAGE;
    const killPause = KILL_PAUSE;
    const user = `
      ${foreignPodmanEnv(dir, 'foreign')}
      ${STEP_FUNCTION}
      sh -c '${killPause}'
      step install ${B} oci-hook install --hooks-dir ${SHARE}/oci/hooks.d --loader-dir ${dir}/loaders --emulator-dir ${dir}/qemu
      step uname podman --log-level error run --rm --network none --platform linux/arm64 ${img} /usr/bin/uname -m
      step kill-pause sh -c '${killPause}'
    `;
    writeFileSync(join(dir, 'user.sh'), user);
    // As root, in a mount namespace of its own: the copy over the directory, then the test user's podman.
    const r = spawnSync(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-ec',
        `mount -t tmpfs -o mode=755 binfmt-test-share ${dir}/share
         cp -a ${SHARE}/. ${dir}/share/
         mkdir -p ${dir}/share/oci/hooks.d && chown ${TEST_USER} ${dir}/share/oci/hooks.d
         mount --bind ${dir}/share ${SHARE}
         runuser -l ${TEST_USER} -c 'bash ${dir}/user.sh'`,
      ],
      { encoding: 'utf8', timeout: 600_000 },
    );
    out = r.stdout;
    writeFileSync(join(ROOT, '.cache', 'emulate-podman-default-transcript.txt'), out + `\n[stderr]\n${r.stderr}`);
    expect(r.status).toBe(0);
  });
  afterEach(() => {
    expect(hostState()).toBe(before);
    expect(existsSync(`${SHARE}/oci`)).toBe(false);
  });
  afterAll(() => {
    if (dir) asTestUser(`${foreignPodmanEnv(dir, 'foreign')}\n${KILL_PAUSE}`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('podman runs the hook from its default directory, and the arm64 program runs', () => {
    const step = (name: string): string => stepOutput(out, name);
    expect(step('install')).toContain(`${SHARE}/oci/hooks.d/binfmt-emulate.json`);
    expect(step('uname')).toBe('aarch64\nrc=0');
    expect(step('kill-pause')).toBe('rc=0');
  });
});

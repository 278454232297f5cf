/**
 * binfmt emulate --podman, as the ordinary test user (never root): the entry
 * lands in the user namespace of podman's pause process, where `podman
 * unshare` (and every rootless container of the user) sees it; a second run
 * changes nothing; after the pause process is gone, a new run registers again
 * in the new one. The test's podman has a runtime directory and a store of
 * its own, so its pause process (and user namespace) is not the one other
 * tests of the same user share; the test ends the pause process it started.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGV_PROGRAM, buildC } from '../helpers/fixtures.js';
import { asTestUser, giveToTestUser, installBinfmt, podmanSupport, userDir } from '../helpers/podman.js';
import { ROOT, sandboxed } from '../helpers/sandbox.js';
import { command, files, needs, sandbox, type Requirement } from '../helpers/skip-gate.js';

const QEMU_A64 = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin', 'qemu-aarch64-static');

function podman(): Requirement {
  const s = podmanSupport();
  return { ok: s.ok, reason: s.reason };
}

describe(
  'binfmt emulate --podman',
  needs(podman(), command('aarch64-linux-gnu-gcc', '--version'), files(QEMU_A64)),
  () => {
    let dir = '';
    let env = '';
    let cli = '';
    const pausePid = (): number => Number(readFileSync(join(dir, 'xdg', 'libpod', 'tmp', 'pause.pid'), 'utf8'));
    const run = (script: string) => asTestUser(`${env}\n${script}`, { timeoutMs: 120_000 });

    beforeAll(() => {
      dir = userDir('binfmt-emulate-podman-');
      cli = installBinfmt(join(dir, 'binfmt'));
      mkdirSync(join(dir, 'qemu'));
      cpSync(QEMU_A64, join(dir, 'qemu', 'qemu-aarch64-static'));
      cpSync(
        buildC('argv-aarch64', ARGV_PROGRAM, ['-static', '-O2'], { cc: 'aarch64-linux-gnu-gcc' }),
        join(dir, 'prog'),
      );
      writeFileSync(
        join(dir, 'storage.conf'),
        `[storage]\ndriver = "overlay"\nrunroot = "${dir}/runroot"\nrootless_storage_path = "${dir}/storage"\n`,
      );
      giveToTestUser(dir);
      env = `export XDG_RUNTIME_DIR=${dir}/xdg CONTAINERS_STORAGE_CONF=${dir}/storage.conf
      mkdir -p -m 700 $XDG_RUNTIME_DIR`;
    });

    afterAll(() => {
      if (!dir) return;
      try {
        process.kill(pausePid());
      } catch {
        /* not started, or already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it("registers in podman's user namespace, starting the pause process; podman unshare runs aarch64 programs", () => {
      const r = run(`set -e
      node ${cli} emulate --podman aarch64 --emulator-dir ${dir}/qemu
      podman unshare cat /proc/sys/fs/binfmt_misc/qemu-aarch64
      podman unshare bash -c 'exec -a kept ${dir}/prog arg'`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(
        /^aarch64: registered qemu-aarch64 in the binfmt_misc of process \d+'s user namespace: /,
      );
      expect(r.stdout).toContain(`interpreter ${dir}/qemu/qemu-aarch64-static\nflags: POF\n`);
      expect(r.stdout).toContain('argv[0]=kept\nargv[1]=arg\n');
      expect(r.stdout).toContain(`process ${pausePid()}'s`);
    });

    it('a second run changes nothing; --status proves it through the entry', () => {
      const r = run(`node ${cli} emulate --podman aarch64 --emulator-dir ${dir}/qemu
      node ${cli} emulate --podman --status --json`);
      expect(r.stderr).toBe('');
      const [first, json] = [r.stdout.slice(0, r.stdout.indexOf('\n')), r.stdout.slice(r.stdout.indexOf('\n') + 1)];
      expect(first).toMatch(/^aarch64: qemu-aarch64 is already registered in /);
      const s = JSON.parse(json) as {
        supported: string[];
        emulators: string[];
        arches: { arch: string; state: string; owned: boolean; containers: boolean }[];
      };
      expect(s.supported).toContain('linux/arm64');
      expect(s.supported).toContain('linux/amd64');
      expect(s.emulators).toEqual(['qemu-aarch64']);
      expect(s.arches.find((a) => a.arch === 'aarch64')).toMatchObject({
        state: 'emulated',
        owned: true,
        containers: true,
      });
    });

    it('registers again after the pause process is killed (a new user namespace)', () => {
      const old = pausePid();
      process.kill(old);
      const r = run(`set -e
      node ${cli} emulate --podman aarch64 --emulator-dir ${dir}/qemu
      podman unshare cat /proc/sys/fs/binfmt_misc/qemu-aarch64 | head -1`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^aarch64: registered qemu-aarch64 in /);
      expect(r.stdout).toMatch(/\nenabled\n$/);
      expect(pausePid()).not.toBe(old);
    });

    it('--remove removes it; the namespace keeps an empty instance', () => {
      const r = run(`node ${cli} emulate --podman --remove aarch64; podman unshare ls /proc/sys/fs/binfmt_misc`);
      expect(r.stdout).toMatch(/^aarch64: removed qemu-aarch64 from .*\nregister\nstatus\n$/);
    });

    it('is refused without podman on PATH', () => {
      const r = run(`PATH=/nonexistent:/usr/sbin; /usr/bin/node ${cli} emulate --podman aarch64; echo rc=$?`);
      expect(r.stderr).toContain('binfmt: --podman: podman is not on PATH');
      expect(r.stdout).toBe('rc=1\n');
    });
  },
);

describe('binfmt emulate --podman as root', needs(sandbox()), () => {
  it('is refused: rootful podman uses the machine instance', () => {
    const r = sandboxed(`$CLI emulate --podman aarch64`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--podman is for rootless podman');
  });
});

/**
 * `binfmt oci-hook emulate` on the host, without a runtime: a bundle whose
 * root file system is a directory here and a state naming a process of this
 * test (a sleeping child: PID's root is the machine's, as a container's is
 * before pivot_root). What needs no namespace is decided for real: native
 * entry points, PATH and #!, the annotation, bad input; a foreign entry point
 * gets as far as the refusal to touch the machine's own binfmt_misc (the
 * child is in the initial user namespace). Registration itself:
 * test/containers/emulate-podman.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/sandbox.js';
import { QEMU_AARCH64 } from '../helpers/arm64-image.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('binfmt-emulate-hook-');
const rootfs = join(dir, 'rootfs');
let child: ChildProcess;

/** A bookworm-like root: merged /usr, a native program, an arm64 one (qemu itself is a static x86-64 program, so an arm64 ELF header is made), a script, a FIFO. */
beforeAll(() => {
  mkdirSync(join(rootfs, 'usr', 'bin'), { recursive: true });
  symlinkSync('usr/bin', join(rootfs, 'bin'));
  copyFileSync('/usr/bin/true', join(rootfs, 'usr', 'bin', 'true'));
  const arm = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(arm);
  arm.writeUInt16LE(2, 16);
  arm.writeUInt16LE(183, 18);
  writeFileSync(join(rootfs, 'usr', 'bin', 'arm'), arm, { mode: 0o755 });
  writeFileSync(join(rootfs, 'usr', 'bin', 'script'), '#!/bin/arm -x\n', { mode: 0o755 });
  expect(spawnSync('mkfifo', [join(rootfs, 'usr', 'bin', 'fifo')]).status).toBe(0);
  chmodSync(join(rootfs, 'usr', 'bin', 'fifo'), 0o755);
  mkdirSync(join(dir, 'qemu'));
  copyFileSync(QEMU_AARCH64, join(dir, 'qemu', 'qemu-aarch64-static'));
  child = spawn('sleep', ['600'], { stdio: 'ignore' });
});
afterAll(() => {
  child?.kill();
});

function hook(args: string[], annotations: Record<string, string> = {}, extra: string[] = []) {
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ root: { path: 'rootfs' }, process: { args, env: ['PATH=/usr/local/bin:/bin'], cwd: '/' } }),
  );
  const state = JSON.stringify({ ociVersion: '1.0.2', id: 'c0ffee', pid: child.pid, bundle: dir, annotations });
  const r = cli(['oci-hook', 'emulate', '--emulator-dir', join(dir, 'qemu'), '--json', ...extra], { input: state });
  return { status: r.status, line: r.stderr.trim(), json: r.stdout ? JSON.parse(r.stdout) : null };
}
const who = () => `binfmt: oci-hook: container c0ffee (pid ${child.pid})`;

describe('oci-hook emulate decides without touching a kernel', () => {
  it('a native entry point, found through PATH and a link, is left alone', () => {
    const r = hook(['true']);
    expect(r.status).toBe(0);
    expect(r.line).toBe(`${who()}: no emulation needed: /usr/bin/true is native`);
    expect(r.json).toMatchObject({ action: 'skipped', arch: null, dryRun: false });
  });

  it('a FIFO as the entry point does not block and is not failed', () => {
    const r = hook(['/bin/fifo']);
    expect(r.status).toBe(0);
    expect(r.line).toBe(`${who()}: no emulation needed: entry point /bin/fifo: no such file`);
  });

  it('a script is followed to its interpreter; a foreign one is never registered in the machine own instance', () => {
    const r = hook(['script', 'a']);
    expect(r.status).toBe(0);
    expect(r.line).toMatch(
      new RegExp(
        `^${who().replace(/[()]/g, '\\$&')}: qemu-aarch64 not registered: process \\d+: that process is in the initial user namespace, whose binfmt_misc is the machine's own; refusing \\(container starts anyway\\)$`,
      ),
    );
    expect(r.json).toMatchObject({ action: 'failed', arch: 'aarch64' });
  });

  it('a container that asked by annotation fails with the reason', () => {
    expect(hook(['true'], { 'run.binfmt.emulate': 'arm64' }).status).toBe(1);
    const bad = hook(['true'], { 'run.binfmt.emulate': 'vax' });
    expect([bad.status, bad.line]).toEqual([
      1,
      `${who()}: no emulator registered: annotation run.binfmt.emulate=vax: not an architecture qemu emulates`,
    ]);
    const missing = hook(['/bin/nope'], { 'run.binfmt.emulate': 'auto' });
    expect([missing.status, missing.line]).toEqual([
      1,
      `${who()}: no emulator registered: entry point /bin/nope: no such file`,
    ]);
  });

  it('off is nothing at all', () => {
    const r = hook(['/bin/arm'], { 'run.binfmt.emulate': 'off' });
    expect([r.status, r.line]).toEqual([0, `${who()}: no emulation needed: annotation run.binfmt.emulate=off`]);
  });

  it('a state that is not one fails, naming the field', () => {
    const r = cli(['oci-hook', 'emulate'], { input: '{"id":"x","pid":-1,"bundle":"/b"}' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('"pid" must be a positive integer');
  });
});

/**
 * The instance a command acts on (src/kernel/instance.ts): its ownership key
 * and label, the same whether computed before opening (apply takes the state
 * lock first) or read off the opened instance; and a process the kernel
 * layer refuses is named as a process, not as a command-line option.
 */
import { describe, expect, it } from 'vitest';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { DEFAULT_MOUNT } from '../../src/kernel/binfmt-misc.js';
import { instanceKey, openInstance, pidInstanceLabel } from '../../src/kernel/instance.js';
import { kernelSupportsPid } from '../../src/kernel/pid-instance.js';
import { KERNEL_FEATURES, needs } from '../helpers/skip-gate.js';

const usernsInstances = {
  ok: kernelSupportsPid(),
  reason: KERNEL_FEATURES['userns-binfmt-misc'],
  missingKernelFeature: 'userns-binfmt-misc' as const,
};

describe('instanceKey', () => {
  it('is the mount for a mount, the default mount when none is given', () => {
    expect(instanceKey({ mount: '/tmp/bm' })).toBe('/tmp/bm');
    expect(instanceKey({ mount: '/tmp/bm', pid: null })).toBe('/tmp/bm');
    expect(instanceKey({})).toBe(DEFAULT_MOUNT);
  });
  it("is where PID's instance is attached, seen from here, whatever mount is given with it", () => {
    expect(instanceKey({ pid: 42 })).toBe('/proc/42/root/proc/sys/fs/binfmt_misc');
    expect(instanceKey({ mount: '/tmp/bm', pid: 42 })).toBe(instanceKey({ pid: 42 }));
    expect(instanceKey({ pid: 42 })).not.toBe(instanceKey({ pid: 43 }));
  });
});

describe('openInstance of a mount', () => {
  it('opens nothing yet: key, label and adapter name the mount', () => {
    const inst = openInstance({ mount: '/nonexistent/bm', attach: true });
    expect([inst.pid, inst.attached, inst.key, inst.label]).toEqual([
      null,
      false,
      '/nonexistent/bm',
      '/nonexistent/bm',
    ]);
    expect([inst.kernel.mount, inst.kernel.label, inst.kernel.root]).toEqual([
      '/nonexistent/bm',
      '/nonexistent/bm',
      '',
    ]);
    expect(() => inst.kernel.ensureMounted()).toThrow(/binfmt_misc is not mounted at \/nonexistent\/bm/);
    inst.close();
  });
  it('defaults to the machine instance path', () => {
    const inst = openInstance({ attach: false });
    expect([inst.key, inst.kernel.mount]).toEqual([DEFAULT_MOUNT, DEFAULT_MOUNT]);
  });
});

describe('openInstance of a process', () => {
  it('labels it by the process', () => {
    expect(pidInstanceLabel(7)).toBe("the binfmt_misc of process 7's user namespace");
  });
  it(
    "refuses this process (the machine's own user namespace, as tests run) in words about the process",
    needs(usernsInstances),
    () => {
      let err: unknown;
      try {
        openInstance({ pid: process.pid, attach: false }).close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BinfmtError);
      const e = err as BinfmtError;
      expect([e.code, e.field]).toEqual(['EPERM', 'pid']);
      expect(e.message).toBe(
        `process ${process.pid}: that process is in the initial user namespace, whose binfmt_misc is the machine's own; refusing`,
      );
    },
  );
  it('refuses a process that does not exist', needs(usernsInstances), () => {
    // Above the largest pid_max Linux allows (PID_MAX_LIMIT, 4194304 on 64-bit).
    expect(() => openInstance({ pid: 4194305, attach: false })).toThrow(
      new BinfmtError('ESRCH', ['process 4194305', ': no such process'], 'pid'),
    );
  });
});

/**
 * The instance a command acts on (src/kernel/instance.ts): its ownership key
 * and label, the same whether computed before opening (apply takes the state
 * lock first) or read off the opened instance.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MOUNT } from '../../src/kernel/binfmt-misc.js';
import { instanceKey, openInstance, pidInstanceLabel } from '../../src/kernel/instance.js';

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
});

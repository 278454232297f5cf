/** Kernel versions as the user and the running kernel give them: each form, each refusal, the order. */
import { describe, expect, it } from 'vitest';
import {
  compareKernel,
  formatKernel,
  implausibleKernel,
  NEWEST_CHECKED_KERNEL,
  parseKernelVersion,
  runningKernelVersion,
  type KernelParse,
} from '../../src/core/kernel-version.js';

/** The version read, as text, or the start of the reason it is refused. */
const read = (r: KernelParse): string => (r.ok ? formatKernel(r.version) : `refused: ${r.reason.split(' is ')[1]}`);

describe('parseKernelVersion', () => {
  it.each([
    ['6.1.176', '6.1.176'],
    ['10.2.3', '10.2.3'],
    ['6.18', '6.18.0'],
    [' 6.1.176 \n', '6.1.176'],
    ['6.1.176-1', '6.1.176'],
    ['6.12.117+deb13-amd64', '6.12.117'],
    ['6.1.176~bpo12', '6.1.176'],
    ['6.1.176_custom', '6.1.176'],
    ['6.1.0-50-amd64', '6.1.176'],
    ['6.1.0-50', '6.1.176'],
    [' 6.1.0-50-amd64\n', '6.1.176'],
    ['5.10.0-32-cloud-amd64', '5.10.223'],
    // Not an ABI name (a flavour is lower case): read as an upstream version with a suffix.
    ['6.1.0-50-amd64!', '6.1.0'],
    ['6.1.0-99-amd64', 'refused: a Debian ABI name that does not say its upstream version; give it'],
    ['10.1.0-50', 'refused: a Debian ABI name that does not say its upstream version; give it'],
    ['x6.1.0-50', 'refused: not a kernel version (such as 6.1.176)'],
    ['v6.1.176', 'refused: not a kernel version (such as 6.1.176)'],
    ['6.1.176x', 'refused: not a kernel version (such as 6.1.176)'],
    ['6', 'refused: not a kernel version (such as 6.1.176)'],
    ['latest', 'refused: not a kernel version (such as 6.1.176)'],
  ])('%j → %s', (text, want) => {
    expect(read(parseKernelVersion(text)).replace(/ \(as in.*$/, '')).toBe(want);
  });

  it('names the text it refuses', () => {
    expect(parseKernelVersion('latest')).toEqual({
      ok: false,
      reason: "'latest' is not a kernel version (such as 6.1.176)",
    });
  });
});

describe('compareKernel', () => {
  const v = (major: number, minor: number, patch: number) => ({ major, minor, patch });
  it.each([
    [v(6, 1, 176), v(6, 1, 176), 0],
    [v(6, 1, 5), v(6, 1, 176), -1],
    [v(6, 1, 176), v(6, 1, 5), 1],
    [v(6, 2, 0), v(6, 1, 200), 1],
    [v(5, 19, 9), v(6, 0, 0), -1],
  ])('%j against %j', (a, b, sign) => {
    expect(Math.sign(compareKernel(a, b))).toBe(sign);
  });
});

describe('runningKernelVersion', () => {
  it("takes Debian's upstream version from /proc/version, the last one (the compiler's comes first)", () => {
    const proc = 'Linux version 6.1.0-99-amd64 (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP Debian 6.1.176-1 (2026-05-01)';
    expect(read(runningKernelVersion(proc, '6.1.0-99-amd64'))).toBe('6.1.176');
    expect(read(runningKernelVersion('Linux version 10.11.12 #1 SMP Debian 10.11.12-1', 'nothing'))).toBe('10.11.12');
  });

  it('falls back to the release when /proc/version names no Debian version', () => {
    expect(read(runningKernelVersion('Linux version 6.18.44-fc (gcc (GCC) 15.3.0)', '6.18.44-fc'))).toBe('6.18.44');
    expect(read(runningKernelVersion('Linux version x (Debian x.y)', 'nothing'))).toMatch(/^refused/);
  });
});

describe('implausibleKernel', () => {
  const next = NEWEST_CHECKED_KERNEL.major + 1;
  it.each([
    [{ major: NEWEST_CHECKED_KERNEL.major, minor: 99, patch: 0 }, null],
    [{ major: next, minor: 99, patch: 9 }, null],
  ])('%j is plausible', (v, want) => {
    expect(implausibleKernel(v)).toBe(want);
  });

  it('refuses a major past the next one, naming what was given and the newest checked', () => {
    const newest = formatKernel(NEWEST_CHECKED_KERNEL);
    expect(implausibleKernel({ major: next + 1, minor: 0, patch: 0 })).toBe(
      `'${next + 1}.0.0' is not a Linux release (the newest binfmt was checked on is ${newest})`,
    );
    expect(implausibleKernel({ major: 99, minor: 99, patch: 0 }, '99.99')).toBe(
      `'99.99' is not a Linux release (the newest binfmt was checked on is ${newest})`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseKernelVersion, runningKernelVersion, formatKernel } from '../../src/core/kernel-version.js';
import { AT_FLAGS_P, FLAG_DELIMITER, USERNS_INSTANCES, kernelHas, ruleState } from '../../src/core/kernel-rules.js';
import { kernelRuleFindings } from '../../src/core/kernel-findings.js';
import { kernelSupportsPid } from '../../src/kernel/pid-instance.js';

const v = (s: string) => {
  const r = parseKernelVersion(s);
  if (!r.ok) throw new Error(r.reason);
  return r.version;
};

describe('kernel versions', () => {
  it('reads upstream versions, Debian package versions and ABI names', () => {
    expect(formatKernel(v('6.1.176'))).toBe('6.1.176');
    expect(formatKernel(v('6.1.176-1'))).toBe('6.1.176');
    expect(formatKernel(v('6.12.117+deb13-amd64'))).toBe('6.12.117');
    expect(formatKernel(v('6.18'))).toBe('6.18.0');
    expect(formatKernel(v('6.1.0-50-amd64'))).toBe('6.1.176');
    expect(formatKernel(v('5.10.0-32-cloud-amd64'))).toBe('5.10.223');
  });

  it('refuses an ABI name it cannot map, and text that is no version, saying why', () => {
    const abi = parseKernelVersion('6.1.0-99-amd64');
    expect(abi.ok).toBe(false);
    expect(!abi.ok && abi.reason).toMatch(/Debian ABI name/);
    expect(parseKernelVersion('latest').ok).toBe(false);
  });

  it('takes the running kernel from the Debian part of /proc/version, not the compiler', () => {
    const proc =
      'Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-05-01)';
    const r = runningKernelVersion(proc, '6.1.0-50-amd64');
    expect(r.ok && formatKernel(r.version)).toBe('6.1.176');
    const plain = runningKernelVersion(
      'Linux version 6.18.44-fc-v657 (builder@sandboxing) (gcc (GCC) 15.3.0)',
      '6.18.44-fc-v657',
    );
    expect(plain.ok && formatKernel(plain.version)).toBe('6.18.44');
  });
});

describe('kernel rules', () => {
  it('knows both sides of the flag-delimiter patch per stable series, and says unknown between', () => {
    expect(ruleState(FLAG_DELIMITER, v('5.10.223')).state).toBe('old');
    expect(ruleState(FLAG_DELIMITER, v('6.1.180')).state).toBe('old');
    expect(ruleState(FLAG_DELIMITER, v('6.1.187')).state).toBe('new');
    expect(ruleState(FLAG_DELIMITER, v('6.1.183')).state).toBe('unknown');
    expect(ruleState(FLAG_DELIMITER, v('6.12.100')).state).toBe('old');
    expect(ruleState(FLAG_DELIMITER, v('6.12.107')).state).toBe('new');
    expect(ruleState(FLAG_DELIMITER, v('6.18.44')).state).toBe('new');
    const never = ruleState(FLAG_DELIMITER, v('6.6.30'));
    expect(never.state).toBe('unknown');
    expect(never.reason).toMatch(/no 6\.6 kernel/);
  });

  it('knows AT_FLAGS P from 5.12 on and its backport to 5.10 stable', () => {
    expect(ruleState(AT_FLAGS_P, v('5.10.223')).state).toBe('old');
    expect(ruleState(AT_FLAGS_P, v('5.10.262')).state).toBe('new');
    expect(ruleState(AT_FLAGS_P, v('6.1.176')).state).toBe('new');
    expect(ruleState(AT_FLAGS_P, v('5.4.280')).state).toBe('unknown');
  });

  it('knows per-namespace instances from 6.7 on', () => {
    expect(ruleState(USERNS_INSTANCES, v('6.1.192')).state).toBe('old');
    expect(ruleState(USERNS_INSTANCES, v('6.12.95')).state).toBe('new');
  });

  it('a feature a command needs is there only where the rule is known to be new (sandbox, --pid)', () => {
    expect(kernelHas(USERNS_INSTANCES, v('6.7'))).toBe(true);
    expect(kernelHas(USERNS_INSTANCES, v('6.18.44'))).toBe(true);
    expect(kernelHas(USERNS_INSTANCES, v('6.1.192'))).toBe(false); // old
    expect(kernelHas(USERNS_INSTANCES, v('6.6.30'))).toBe(false); // unknown: never booted
    expect(kernelHas(USERNS_INSTANCES, undefined)).toBe(false); // unreadable version
    expect(kernelHas(AT_FLAGS_P, v('5.10.262'))).toBe(true); // a stable backport counts
  });

  it('--pid asks the same rule, for a Debian ABI name too', () => {
    expect(['6.7.0', '6.18.44-fc', '6.12.117+deb13-amd64'].map((r) => kernelSupportsPid(r))).toEqual([
      true,
      true,
      true,
    ]);
    expect(['6.6.30', '6.1.0-50-amd64', '6.1.0-99-amd64', 'weird'].map((r) => kernelSupportsPid(r))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('what doctor says a kernel lacks', () => {
  it('names the missing per-namespace instances and AT_FLAGS P on 5.10.223, and nothing on 6.18', () => {
    const old = kernelRuleFindings(v('5.10.223')).map((f) => [f.severity, f.code]);
    expect(old).toEqual([
      ['warning', 'no-userns-instances'],
      ['warning', 'no-at-flags-p'],
      ['info', 'flag-delimiter'],
    ]);
    expect(kernelRuleFindings(v('6.1.192')).map((f) => f.code)).toEqual(['no-userns-instances']);
    expect(kernelRuleFindings(v('6.18.44'))).toEqual([]);
    expect(kernelRuleFindings(undefined).map((f) => f.code)).toEqual(['kernel-version-unknown']);
  });

  it('says why, naming the versions seen on each side', () => {
    const reasons: [Parameters<typeof ruleState>[0], string, string][] = [
      [AT_FLAGS_P, '6.1.176', 'Linux 6.1.176 is 5.12 or newer'],
      [
        AT_FLAGS_P,
        '5.4.280',
        'unknown for Linux 5.4.280: older than 5.12, and no 5.4 kernel was booted to see whether it was backported',
      ],
      [FLAG_DELIMITER, '6.1.190', 'Linux 6.1.187 and newer 6.1 kernels do so'],
      [FLAG_DELIMITER, '6.12.3', 'Linux 6.12.100 and older 6.12 kernels do not'],
      [
        FLAG_DELIMITER,
        '6.1.183',
        'unknown for Linux 6.1.183: no 6.1 kernel of that sublevel was booted (the old way up to 5.10.262, 6.1.180, 6.12.100; the new way from 6.1.187, 6.12.107, 6.18.44)',
      ],
      [
        FLAG_DELIMITER,
        '6.6.30',
        'unknown for Linux 6.6.30: no 6.6 kernel was booted (the old way up to 5.10.262, 6.1.180, 6.12.100; the new way from 6.1.187, 6.12.107, 6.18.44)',
      ],
    ];
    for (const [rule, version, reason] of reasons)
      expect([version, ruleState(rule, v(version)).reason]).toEqual([version, reason]);
  });

  it('refuses a rule whose mainline version it cannot read', () => {
    expect(() => ruleState({ id: 'x', summary: 'x', mainline: 'six' }, v('6.1.1'))).toThrow(
      'kernel-rules: bad version six',
    );
  });
});

/**
 * Per-user-namespace binfmt_misc instances on one booted kernel (guest job
 * 15-userns.sh: a new user+mount namespace mounts its own binfmt_misc)
 * against the rules table's state for that kernel.
 */
import { USERNS_INSTANCES, ruleState } from '../../src/core/kernel-rules.js';
import type { KernelVersion } from '../../src/core/kernel-version.js';

export function checkUserns(lines: string[], kernel: KernelVersion): string[] {
  const line = lines.find((l) => l.startsWith('userns '));
  if (!line) return ['userns: the guest did not report'];
  const has = line === 'userns yes';
  const state = ruleState(USERNS_INSTANCES, kernel).state;
  if (state === 'unknown') return [];
  return has === (state === 'new')
    ? []
    : [`userns: the kernel ${has ? 'mounts' : 'refuses'} a private instance (${line}), the rules table says ${state}`];
}

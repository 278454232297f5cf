/**
 * The running kernel's upstream version, whose rules `register`, `apply` and
 * (by default) `validate` apply: from /proc/version, where Debian writes the
 * upstream version ("Debian 6.1.176-1"), else from uname -r.
 */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { runningKernelVersion, type KernelVersion } from '../core/kernel-version.js';

export function runningKernel(): KernelVersion | undefined {
  let proc = '';
  try {
    proc = readFileSync('/proc/version', 'utf8');
  } catch {
    // no /proc: uname -r alone
  }
  const r = runningKernelVersion(proc, release());
  return r.ok ? r.version : undefined;
}

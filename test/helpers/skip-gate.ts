/**
 * The one way a test may be skipped: `describe(name, needs(sandbox()), …)` or
 * `it(name, needs(command('strace', '-V')), …)`. needs() returns vitest's
 * test options: `skip` when a requirement does not hold, and the reason in the
 * test's meta, where test/helpers/skip-reporter.ts reads it.
 *
 * A skip is accepted (in CI) only when the reason is a kernel feature this
 * machine lacks: no package install can add it. Everything else a test needs
 * (root, strace, clang, systemd-binfmt, cross compilers, subuid ranges) is
 * installed or set up by scripts/install-deps.sh and .ci/run, so its absence
 * is a broken CI machine, and fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SandboxKernelFeature, SandboxSupport } from '../../src/kernel/sandbox.js';
import { canSandbox, canSandboxUsers } from './sandbox.js';

/** The documented kernel features whose absence may skip a test. */
export const KERNEL_FEATURES: Record<SandboxKernelFeature, string> = {
  'userns-binfmt-misc': 'binfmt_misc instances per user namespace (Linux 6.7 or later)',
  'user-namespaces': 'user namespaces (/proc/sys/user/max_user_namespaces above 0)',
  'binfmt-misc': 'the binfmt_misc file system (CONFIG_BINFMT_MISC, module loaded)',
};

/** Why a test was skipped, as the reporter reads it. */
export interface SkipReason {
  /** Set when a documented kernel feature is missing: the only accepted skip. */
  kernelFeature: SandboxKernelFeature | null;
  reason: string;
}

declare module 'vitest' {
  interface TaskMeta {
    skipReason?: SkipReason;
  }
}

/** One thing a test needs, and whether this machine has it. */
export interface Requirement {
  ok: boolean;
  /** Why not, when not ok. */
  reason: string | null;
  missingKernelFeature?: SandboxKernelFeature;
}

/**
 * Options for describe() or it(): skipped, with the first missing requirement
 * as the reason. `false` stands for nothing needed (`needs(ex.sandbox && sandbox())`).
 */
export function needs(...requirements: (Requirement | false)[]): { skip: boolean; meta: { skipReason?: SkipReason } } {
  const missing = requirements.find((r): r is Requirement => r !== false && !r.ok);
  if (!missing) return { skip: false, meta: {} };
  // A mutation run (vitest.mutate.config.ts) scores what its tests kill: a skipped test kills nothing and
  // would read as surviving mutants, so there a missing requirement fails the run instead.
  if (process.env.BINFMT_NO_SKIPS === '1')
    throw new Error(
      `a test needs what this run lacks (${missing.reason ?? 'unknown'}); BINFMT_NO_SKIPS forbids skipping it`,
    );
  const skipReason = { kernelFeature: missing.missingKernelFeature ?? null, reason: missing.reason ?? 'unknown' };
  return { skip: true, meta: { skipReason } };
}

function fromSupport(s: SandboxSupport): Requirement {
  return {
    ok: s.ok,
    reason: s.reason,
    ...(s.missingKernelFeature ? { missingKernelFeature: s.missingKernelFeature } : {}),
  };
}

/** A private binfmt_misc instance (test/helpers/sandbox.ts). */
export function sandbox(): Requirement {
  return fromSupport(canSandbox());
}

/** A sandbox that maps ids 0..65535, for tests that drop to an ordinary user. */
export function sandboxUsers(): Requirement {
  return fromSupport(canSandboxUsers());
}

/** Running as root of the machine (set-user-ID files, chown). */
export function root(): Requirement {
  const ok = process.getuid?.() === 0;
  return { ok, reason: ok ? null : 'not running as root' };
}

/** A command that runs and exits 0 with these arguments (e.g. `strace -V`). */
export function command(name: string, ...args: string[]): Requirement {
  const ok = spawnSync(name, args, { stdio: 'ignore' }).status === 0;
  return { ok, reason: ok ? null : `${[name, ...args].join(' ')} does not run (scripts/install-deps.sh installs it)` };
}

/** Files that must exist (installed or unpacked by scripts/install-deps.sh). */
export function files(...paths: string[]): Requirement {
  const absent = paths.filter((p) => !existsSync(p));
  return {
    ok: absent.length === 0,
    reason: absent.length ? `missing ${absent.join(', ')} (scripts/install-deps.sh)` : null,
  };
}

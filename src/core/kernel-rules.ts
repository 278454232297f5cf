/**
 * The rules of binfmt_misc that differ between kernels, with the versions on
 * each side as booted by the kernel matrix (test/kernel-matrix: Debian's kernels
 * under qemu, and this project's CI kernel). A rule that changed inside stable
 * series is known only per series and only up to the versions booted; between
 * them, and in series never booted, its state is unknown and said to be so.
 */
import { compareKernel, formatKernel, parseKernelVersion, type KernelVersion } from './kernel-version.js';

export type RuleState = 'old' | 'new' | 'unknown';

/** Per stable series: the last version booted that behaves the old way, the first that behaves the new way. */
export interface SeriesBoundary {
  series: string;
  lastOld?: number;
  firstNew?: number;
}

export interface KernelRule {
  id: string;
  /** What the new behaviour is. */
  summary: string;
  /** The mainline release that brought it: every later series has it. */
  mainline?: string;
  /** Stable series (older than mainline, or all of them for a stable-only patch) where it was backported. */
  series?: SeriesBoundary[];
}

/**
 * A flag letter (P, O, C, F) as the delimiter, with a final newline, was
 * accepted; a 2026 stable patch ("reject a flag character as the field
 * delimiter") refuses it with EINVAL. Booted: 5.10.223, 5.10.262, 6.1.176,
 * 6.1.180, 6.12.95, 6.12.100 accept; 6.1.187, 6.1.192, 6.12.107, 6.12.117 and
 * 6.18.44 refuse.
 */
export const FLAG_DELIMITER: KernelRule = {
  id: 'flag-delimiter',
  summary: 'a flag letter (P, O, C, F) as the delimiter is refused (EINVAL)',
  series: [
    { series: '5.10', lastOld: 262 },
    { series: '6.1', lastOld: 180, firstNew: 187 },
    { series: '6.12', lastOld: 100, firstNew: 107 },
    { series: '6.18', firstNew: 44 },
  ],
};

/**
 * AT_FLAGS_PRESERVE_ARGV0: with P the kernel sets bit 0 of AT_FLAGS for the
 * interpreter (commit 2347961b11d4, v5.12). Without it an interpreter cannot
 * tell that argv holds the caller's argv[0]. Booted: 5.10.223 has not; 5.10.262
 * has (backported to 5.10 stable in between); 6.1 and later have.
 */
export const AT_FLAGS_P = {
  id: 'at-flags-preserve-argv0',
  summary: 'P is announced to the interpreter in AT_FLAGS',
  mainline: '5.12',
  series: [{ series: '5.10', lastOld: 223, firstNew: 262 }],
} satisfies KernelRule;

/**
 * One binfmt_misc instance per user namespace (commit 21ca59b365c0, v6.7);
 * before it, a mount in a user namespace gets EPERM. Booted: 5.10 and 6.1 have
 * not, 6.12 has.
 */
export const USERNS_INSTANCES = {
  id: 'userns-instances',
  summary: 'binfmt_misc can be mounted in a user namespace with its own entries',
  mainline: '6.7',
  series: [
    { series: '5.10', lastOld: 262 },
    { series: '6.1', lastOld: 192 },
  ],
} satisfies KernelRule;

export interface RuleVerdict {
  state: RuleState;
  /** Why, in words: which versions were seen on each side. */
  reason: string;
}

export function ruleState(rule: KernelRule, v: KernelVersion): RuleVerdict {
  const name = formatKernel(v);
  const series = `${v.major}.${v.minor}`;
  const s = (rule.series ?? []).find((x) => x.series === series);
  if (rule.mainline && !s) {
    const since = parseKernelVersion(rule.mainline);
    if (!since.ok) throw new Error(`kernel-rules: bad version ${rule.mainline}`);
    if (compareKernel(v, since.version) >= 0)
      return { state: 'new', reason: `Linux ${name} is ${rule.mainline} or newer` };
    // Older series may have had it backported (5.10 had AT_FLAGS P): only a boot says.
    return {
      state: 'unknown',
      reason: `unknown for Linux ${name}: older than ${rule.mainline}, and no ${series} kernel was booted to see whether it was backported`,
    };
  }
  if (s?.firstNew !== undefined && v.patch >= s.firstNew) {
    return { state: 'new', reason: `Linux ${series}.${s.firstNew} and newer ${series} kernels do so` };
  }
  if (s?.lastOld !== undefined && v.patch <= s.lastOld) {
    return { state: 'old', reason: `Linux ${series}.${s.lastOld} and older ${series} kernels do not` };
  }
  const all = rule.series ?? [];
  const without = all.filter((x) => x.lastOld !== undefined).map((x) => `${x.series}.${x.lastOld}`);
  const withIt = all.filter((x) => x.firstNew !== undefined).map((x) => `${x.series}.${x.firstNew}`);
  return {
    state: 'unknown',
    reason: `unknown for Linux ${name}: no ${series} kernel${s ? ' of that sublevel' : ''} was booted (the old way up to ${without.join(', ')}; the new way from ${withIt.join(', ')})`,
  };
}

/**
 * Whether kernel `v` certainly behaves the new way: an unknown state, or a
 * version that could not be read, counts as not (for features a command
 * needs, such as a binfmt_misc instance per user namespace).
 */
export function kernelHas(rule: KernelRule, v: KernelVersion | undefined): boolean {
  return v !== undefined && ruleState(rule, v).state === 'new';
}

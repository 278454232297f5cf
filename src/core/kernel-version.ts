/**
 * Which kernel a rule is judged for: an upstream version (6.1.176), parsed from
 * what the user gives (`--kernel`) or from the running kernel (/proc/version,
 * `uname -r`). Debian names its kernels by ABI (`6.1.0-50-amd64`), which says
 * nothing of the upstream sublevel; /proc/version carries it ("Debian 6.1.176-1"),
 * and for a bare ABI name the table below maps the ABIs the kernel matrix booted.
 */

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * Debian ABI → the upstream version in its package's Version field (Debian's
 * archive, bullseye and bookworm with their security suites, November 2026).
 * An ABI not listed here cannot be mapped.
 */
export const DEBIAN_ABI_UPSTREAM: Readonly<Record<string, string>> = {
  '5.10.0-30': '5.10.218',
  '5.10.0-32': '5.10.223',
  '5.10.0-46': '5.10.262',
  '6.1.0-47': '6.1.170',
  '6.1.0-50': '6.1.176',
  '6.1.0-52': '6.1.180',
  '6.1.0-53': '6.1.187',
  '6.1.0-54': '6.1.190',
  '6.1.0-55': '6.1.192',
  '6.1.0-56': '6.1.192',
};

export const formatKernel = (v: KernelVersion): string => `${v.major}.${v.minor}.${v.patch}`;

export function compareKernel(a: KernelVersion, b: KernelVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export type KernelParse = { ok: true; version: KernelVersion } | { ok: false; reason: string };

/**
 * `6.1.176`, `6.1.176-1`, `6.12.117+deb13-amd64`, `6.18`, and Debian ABI names
 * (`6.1.0-50-amd64`, `6.1.0-50`) through DEBIAN_ABI_UPSTREAM.
 */
export function parseKernelVersion(text: string): KernelParse {
  const abi = /^(\d+\.\d+\.0-\d+)(?:-[a-z0-9-]+)?$/.exec(text.trim());
  if (abi) {
    const upstream = DEBIAN_ABI_UPSTREAM[abi[1]!];
    if (!upstream) {
      return {
        ok: false,
        reason: `'${text}' is a Debian ABI name that does not say its upstream version; give it (as in /proc/version: "Debian 6.1.176-1" → 6.1.176)`,
      };
    }
    return parseKernelVersion(upstream);
  }
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:[-+~_].*)?$/.exec(text.trim());
  if (!m) return { ok: false, reason: `'${text}' is not a kernel version (such as 6.1.176)` };
  return { ok: true, version: { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } };
}

/**
 * The running kernel's upstream version from the text of /proc/version (Debian
 * puts it there: "… Debian 6.1.176-1 …") or, failing that, `uname -r`.
 */
export function runningKernelVersion(procVersion: string, release: string): KernelParse {
  // The last one: the compiler's version comes first ("gcc-12 (Debian 12.2.0-14)").
  const debian = [...procVersion.matchAll(/\bDebian (\d+\.\d+\.\d+)/g)].pop();
  if (debian) return parseKernelVersion(debian[1]!);
  return parseKernelVersion(release);
}

/**
 * The newest kernel binfmt's rules were checked on (this project's CI kernel;
 * the kernel matrix boots older ones: docs/kernel-support.7.md). A --kernel
 * newer than it is judged by the newest rules known, and said to be.
 */
export const NEWEST_CHECKED_KERNEL: KernelVersion = { major: 6, minor: 18, patch: 44 };

/**
 * Why a version given by hand cannot be a Linux release, or null: a major
 * past the next one after the newest checked (Linux goes 5.19 → 6.0, one
 * major at a time) is a typo, such as 99.99.
 */
export function implausibleKernel(v: KernelVersion, given = formatKernel(v)): string | null {
  if (v.major <= NEWEST_CHECKED_KERNEL.major + 1) return null;
  return `'${given}' is not a Linux release (the newest binfmt was checked on is ${formatKernel(NEWEST_CHECKED_KERNEL)})`;
}

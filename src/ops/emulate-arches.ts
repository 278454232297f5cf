/**
 * The architectures a binfmt emulate command names: qemu's, Debian's or OCI's
 * names, or `all` (every architecture of the table).
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { findArch, knownArchNames, QEMU_ARCHES, type QemuArch } from '../core/qemu-arch.js';

export interface ArchSelection {
  arches: QemuArch[];
  /** `all` was given: a missing emulator skips that architecture instead of failing. */
  all: boolean;
}

export function selectArches(names: readonly string[]): ArchSelection {
  if (names.length === 0)
    throw new BinfmtError('EUSAGE', 'emulate: name at least one architecture (e.g. arm64), or all', 'arch');
  if (names.some((n) => n.toLowerCase() === 'all')) {
    if (names.length > 1)
      throw new BinfmtError('EUSAGE', 'emulate: all stands alone; give it, or architectures, not both', 'arch');
    return { arches: [...QEMU_ARCHES], all: true };
  }
  const out: QemuArch[] = [];
  for (const n of names) {
    const a = findArch(n);
    if (!a)
      throw new BinfmtError(
        'EINVAL',
        `emulate: unknown architecture '${n}'; known: ${knownArchNames().join(', ')}, all`,
        'arch',
      );
    if (!out.includes(a)) out.push(a);
  }
  return { arches: out, all: false };
}

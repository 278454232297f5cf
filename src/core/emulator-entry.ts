/**
 * The binfmt_misc entry of a qemu-user emulator, as binfmt emulate registers it.
 *
 * Flags: F always (the emulator is opened at registration, so it runs inside
 * containers and chroots that lack it), P (argv[0] reaches the program:
 * qemu reads AT_FLAGS, Linux 5.12 on) and O (the kernel hands qemu an open
 * descriptor, so execute-only programs run): POF, as Debian registers them.
 *
 * No C by default. With C the kernel computes credentials from the program,
 * not the emulator: a setuid-root foreign program then runs qemu as root, and
 * qemu-user honours QEMU_* environment variables (QEMU_GDB opens a debugger
 * stub, QEMU_LD_PREFIX and QEMU_SET_ENV change what runs) that the unprivileged
 * caller sets: root for anyone who can run such a program. --credentials
 * opts in, for images whose setuid programs (sudo, ping) must work.
 */
import { canonicalFlags, type Entry, type MagicEntry } from './entry.js';
import { entryMatches } from './match.js';
import { probeElf } from './probe-elf.js';
import { emulatorEntryName, findArch, QEMU_ARCHES, type QemuArch } from './qemu-arch.js';
import { formatRegister } from './register-format.js';

export interface EmulatorFlags {
  /** C: credentials from the program (setuid foreign programs work; see above). */
  credentials: boolean;
}

/** The flags an emulator entry gets: POF, plus C on request (canonical order, C implying O). */
export function emulatorFlags(f: EmulatorFlags = { credentials: false }): string {
  return canonicalFlags(f.credentials ? 'POCF' : 'POF');
}

export function emulatorEntry(a: QemuArch, interpreter: string, flags: string): MagicEntry {
  return {
    type: 'magic',
    name: emulatorEntryName(a),
    offset: 0,
    magic: a.magic,
    mask: a.mask,
    interpreter,
    flags: canonicalFlags(flags),
  };
}

/** The register string: `:qemu-<arch>:M::<magic>:<mask>:<interpreter>:<flags>`. */
export function emulatorRegisterLine(a: QemuArch, interpreter: string, flags: string): string {
  return formatRegister(emulatorEntry(a, interpreter, flags));
}

/**
 * The architecture an entry emulates: a qemu-<arch> name, the same magic and
 * mask as a table row, or a qemu-* interpreter that runs a row's probe
 * program; null for other entries.
 */
export function emulatedArch(e: Entry): QemuArch | null {
  // findArch takes "qemu-aarch64" too; only the emulator's own name counts (not qemu-arm64, not aarch64).
  const byName = findArch(e.name);
  if (byName && emulatorEntryName(byName) === e.name) return byName;
  if (e.type !== 'magic') return null;
  const same = (x: Uint8Array, y: Uint8Array | null): boolean =>
    !!y && x.length === y.length && x.every((b, i) => b === y[i]);
  const exact = QEMU_ARCHES.find((a) => same(a.magic, e.magic) && same(a.mask, e.mask));
  if (exact) return exact;
  if (!/^qemu-/.test(e.interpreter.slice(e.interpreter.lastIndexOf('/') + 1))) return null;
  return QEMU_ARCHES.find((a) => entryMatches(e, { path: `/probe/${a.qemu}`, head: probeElf(a) })) ?? null;
}

/**
 * Where a distribution puts qemu-user's emulators, and whether the one found
 * can be pinned with F.
 *
 * - Debian bookworm (qemu-user-static), Ubuntu and Fedora
 *   (qemu-user-static-<family>): /usr/bin/qemu-<arch>-static, statically linked.
 * - Debian trixie on: qemu-user itself is static and drops the suffix,
 *   /usr/bin/qemu-<arch>; so is Fedora's qemu-user, but dynamically linked.
 * - --emulator-dir DIR: DIR/qemu-<arch>-static, then DIR/qemu-<arch>.
 *
 * F makes the kernel open the emulator once, at registration, so that it
 * runs inside containers and chroots whose root lacks it. Only that one file
 * is pinned: a dynamically linked emulator still looks its PT_INTERP (ld.so)
 * and libraries up in the container's root at every exec, and fails there.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import type { QemuArch } from '../core/qemu-arch.js';
import { interpreterFacts } from '../kernel/file-facts.js';

/** The directories looked in when no --emulator-dir is given. */
export const EMULATOR_DIRS: readonly string[] = ['/usr/bin'];

/** File names of an architecture's emulator, preferred first: the static build's, then the plain one. */
export function emulatorFileNames(a: QemuArch): string[] {
  return [`qemu-${a.qemu}-static`, `qemu-${a.qemu}`];
}

/** The paths looked at, in order. */
export function emulatorCandidates(a: QemuArch, dirs: readonly string[] = EMULATOR_DIRS): string[] {
  return dirs.flatMap((d) => emulatorFileNames(a).map((n) => join(d, n)));
}

function isExecutableFile(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** The first emulator found for `a`, or null. */
export function locateEmulator(a: QemuArch, dirs: readonly string[] = EMULATOR_DIRS): string | null {
  return emulatorCandidates(a, dirs).find(isExecutableFile) ?? null;
}

/** The package that ships the emulator, for the message about a missing one. */
export function emulatorPackages(a: QemuArch): string {
  return `Debian/Ubuntu: apt install ${a.debianPackage} (Debian 13 on: qemu-user); Fedora: dnf install ${a.fedoraPackage}`;
}

/** The emulator for `a`; one line naming every file looked for and the package that provides it, when there is none. */
export function findEmulator(a: QemuArch, dirs?: readonly string[]): string {
  const found = locateEmulator(a, dirs);
  if (found) return found;
  const looked = emulatorCandidates(a, dirs).join(', ');
  throw new BinfmtError('ENOENT', `${a.qemu}: no emulator: none of ${looked} exists`, 'emulator', [
    `${emulatorPackages(a)}; or give `,
    option('emulatorDir', 'DIR'),
  ]);
}

/** PT_INTERP of the emulator, or null for a static one (or a file that is no ELF program). */
export function emulatorInterp(path: string): string | null {
  return interpreterFacts(path)?.ptInterp ?? null;
}

/** Refuses a dynamically linked emulator for an F entry: inside a container its ld.so and libraries are not there. */
export function requireStatic(a: QemuArch, path: string): void {
  const interp = emulatorInterp(path);
  if (interp === null) return;
  throw new BinfmtError(
    'ELIBACC',
    [
      `${path} is dynamically linked (PT_INTERP ${interp}): pinned with F it still loads ${interp} and its libraries from ` +
        `the container's root at every exec, and fails there; install the static build (${emulatorPackages(a)}), or `,
      option('force'),
      ' to register it anyway',
    ],
    'emulator',
  );
}

/**
 * binfmt doctor's judgement of qemu-user emulator entries (those named
 * qemu-<arch>, or with an architecture's magic and mask), as pure functions:
 * - without F, the kernel looks the emulator up at every exec in the root of
 *   the process that runs the program: inside a container or chroot that
 *   lacks it, every program of that architecture fails with ENOENT;
 * - two enabled entries that both run an architecture's programs: the kernel
 *   tries the newest registration first, so the older one never runs for them.
 * Which entries run an architecture's programs is decided on that
 * architecture's probe program (src/core/probe-elf.ts), as the kernel matches.
 */
import { finding, type Finding } from './doctor-findings.js';
import { binfmt, option } from './fix.js';
import { emulatedArch } from './emulator-entry.js';
import type { Entry } from './entry.js';
import { entryMatches } from './match.js';
import { probeElf } from './probe-elf.js';
import { QEMU_ARCHES } from './qemu-arch.js';

/** `entries` in match order (newest first); `owned`: the names binfmt registered. */
export function emulatorFindings(entries: readonly Entry[], owned: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const e of entries) {
    const a = emulatedArch(e);
    if (!a || e.flags.includes('F')) continue;
    out.push(
      finding(
        'warning',
        'emulator-no-fix-binary',
        e.name,
        `emulates ${a.platform} without F: the kernel looks ${e.interpreter} up at every exec, in the root of the ` +
          `process that runs the program, so inside containers and chroots without it ${a.qemu} programs fail with "No such file or directory"`,
        [
          owned.has(e.name) ? binfmt('emulate', a.qemu) : binfmt('emulate', a.qemu, option('force')),
          ' (registers it with POF)',
        ],
      ),
    );
  }
  for (const a of QEMU_ARCHES) {
    const target = { path: `/probe/${a.qemu}`, head: probeElf(a) };
    const matching = entries.filter((e) => e.enabled !== false && entryMatches(e, target));
    if (matching.length < 2) continue;
    const [first, ...rest] = matching;
    out.push(
      finding(
        'warning',
        'emulator-overlap',
        first!.name,
        `${matching.length} entries run ${a.platform} programs: ${matching.map((e) => `'${e.name}'`).join(', ')}; ` +
          `the kernel tries the newest registration first, so '${first!.name}' (${first!.interpreter}) runs them and ` +
          `${rest.map((e) => `'${e.name}'`).join(', ')} never does`,
        ['keep one: ', binfmt('remove', ...rest.map((e) => e.name)), ' (or ', binfmt('reorder'), ' to pick another)'],
      ),
    );
  }
  return out;
}

/**
 * `binfmt emulate --status`: for every architecture, whether the CPU runs it
 * (native), an entry emulates it (emulated: which entry, its interpreter and
 * flags, whether it works inside containers (F), whether the F-pinned file is
 * still the one at its path), or nothing does (unavailable). An emulated
 * architecture counts only when its probe really runs through the entry.
 *
 * The JSON carries tonistiigi/binfmt's keys: "supported" (the OCI platforms
 * that run, natively or emulated) and "emulators" (the enabled emulator
 * entries), plus the per-architecture details.
 */
import { emulatedArch } from '../core/emulator-entry.js';
import type { Entry } from '../core/entry.js';
import { matchEntry } from '../core/match.js';
import { probeElf } from '../core/probe-elf.js';
import { QEMU_ARCHES } from '../core/qemu-arch.js';
import { pinState, type PinState } from '../kernel/interpreter-pin.js';
import { nativeVerdicts, probeRuns, type NativeHow } from '../kernel/native-arch.js';
import { openTarget, ownedEntries, type EmulateTarget } from './emulate-target.js';
import { locateEmulator } from './emulator-file.js';

export interface ArchStatus {
  arch: string;
  platform: string;
  state: 'native' | 'emulated' | 'unavailable';
  native: NativeHow | null;
  /** The entry the kernel picks for this architecture's programs (the newest enabled one that matches). */
  entry: string | null;
  interpreter: string | null;
  flags: string | null;
  /** F: the interpreter was opened at registration, so it runs inside containers and chroots. */
  containers: boolean | null;
  /** F entries: whether the file at the interpreter path is still the pinned one. */
  pin: PinState | null;
  /** The probe ran through the entry and exited 0. */
  works: boolean | null;
  /** binfmt registered the entry. */
  owned: boolean | null;
  /** For an unavailable one: the emulator binfmt emulate would register, if one is installed. */
  emulator: string | null;
}

export interface EmulateStatus {
  label: string;
  supported: string[];
  emulators: string[];
  arches: ArchStatus[];
}

export function emulateStatus(req: {
  target: EmulateTarget;
  stateDir: string;
  emulatorDirs?: string[];
}): EmulateStatus {
  const t = openTarget(req.target, req.stateDir, false);
  let live: Entry[] = [];
  let owned = new Set<string>();
  let label = "podman's user namespace (its pause process is not running: nothing registered)";
  try {
    if (t) {
      label = t.inst.kernel.label;
      live = t.inst.kernel.list();
      owned = new Set(ownedEntries(t, live).map((o) => o.name));
    }
    const natives = nativeVerdicts(QEMU_ARCHES);
    const root = t?.inst.kernel.root ?? '';
    const arches = QEMU_ARCHES.map((a): ArchStatus => {
      const base: ArchStatus = {
        arch: a.qemu,
        platform: a.platform,
        state: 'unavailable',
        native: null,
        entry: null,
        interpreter: null,
        flags: null,
        containers: null,
        pin: null,
        works: null,
        owned: null,
        emulator: null,
      };
      const v = natives.get(a.qemu);
      if (v?.native) return { ...base, state: 'native', native: v.how };
      const e = matchEntry(live, { path: `/probe/${a.qemu}`, head: probeElf(a) });
      if (!e || !t) return { ...base, emulator: locateEmulator(a, req.emulatorDirs) };
      const F = e.flags.includes('F');
      const works = probeRuns(a, t.pid, t.inside);
      return {
        ...base,
        state: works ? 'emulated' : 'unavailable',
        entry: e.name,
        interpreter: e.interpreter,
        flags: e.flags,
        containers: F,
        pin: F ? pinState(root + e.interpreter) : null,
        works,
        owned: owned.has(e.name),
      };
    });
    const supported = arches.filter((s) => s.state !== 'unavailable').map((s) => s.platform);
    const emulators = live
      .filter((e) => e.enabled !== false && emulatedArch(e) !== null)
      .map((e) => e.name)
      .sort((x, y) => x.localeCompare(y));
    return { label, supported: [...new Set(supported)], emulators, arches };
  } finally {
    t?.inst.close();
  }
}

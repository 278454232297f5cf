/**
 * `binfmt emulate ARCH…|all`: registers qemu-user emulators, so that programs
 * of other CPU architectures run (in containers and chroots too: flag F).
 *
 * For each architecture: one the CPU runs itself is never emulated (decided by
 * running its probe where no emulator entry applies: src/kernel/native-arch.ts);
 * otherwise the emulator is found where distributions put it
 * (src/ops/emulator-file.ts), must be static (F pins one file; --force
 * overrides), and `qemu-<arch>` is registered with POF (src/core/emulator-entry.ts).
 * An entry binfmt registered and that is already exactly that is left as it
 * is: a second run changes nothing in the kernel. One someone else registered
 * is left alone, with a note, unless --force. Changes are make-before-break,
 * all or nothing (src/kernel/step-runner.ts), and recorded as binfmt's
 * (src/ops/emulate-target.ts); --persist also writes /etc/binfmt.d/qemu-<arch>.conf.
 */
import { persist, type PersistOutcome } from '../config/persistence.js';
import { BinfmtError } from '../core/binfmt-error.js';
import { option, plainText } from '../core/fix.js';
import { emulatorEntry, emulatorFlags, emulatorRegisterLine } from '../core/emulator-entry.js';
import type { Entry } from '../core/entry.js';
import { entryDifferences } from '../core/entry-diff.js';
import { kernelStepGroups } from '../core/kernel-steps.js';
import { emulatorEntryName, type QemuArch } from '../core/qemu-arch.js';
import type { PlanAction } from '../core/reconcile-plan.js';
import { pinState } from '../kernel/interpreter-pin.js';
import { nativeVerdicts, type NativeHow } from '../kernel/native-arch.js';
import { runBatch } from '../kernel/step-runner.js';
import { selectArches } from './emulate-arches.js';
import { liveState, openTarget, recordOwnership, type EmulateTarget, type OpenedTarget } from './emulate-target.js';
import { findEmulator, requireStatic } from './emulator-file.js';

export { findEmulator } from './emulator-file.js';
export { runsNatively } from '../kernel/native-arch.js';

/** The register string binfmt emulate writes for `a` with this emulator and these flags. */
export function emulatorLine(a: QemuArch, emulatorPath: string, flags: string): string {
  return emulatorRegisterLine(a, emulatorPath, flags);
}

/** How ownership records an entry emulate registered without --persist. */
export const EMULATE_SOURCE = 'binfmt emulate';

export interface EmulateRequest {
  arches: readonly string[];
  target: EmulateTarget;
  /** --emulator-dir: look here instead of the distributions' places. */
  emulatorDirs?: readonly string[];
  /** --credentials: flag C (see src/core/emulator-entry.ts for what it costs). */
  credentials: boolean;
  force: boolean;
  persist: boolean;
  configRoot: string;
  stateDir: string;
  dryRun: boolean;
}

export type ArchAction = 'native' | 'register' | 'replace' | 'unchanged' | 'foreign' | 'unavailable';

export interface ArchOutcome {
  arch: string;
  platform: string;
  entry: string;
  action: ArchAction;
  /** The emulator as this process sees it. */
  emulator: string | null;
  /** The register string (written, or that would be). */
  line: string | null;
  /** How "native" was decided. */
  native: NativeHow | null;
  note: string | null;
}

export interface EmulateResult {
  label: string;
  pid: number | null;
  outcomes: ArchOutcome[];
  /** Whether the kernel was changed (never on a dry run). */
  changed: boolean;
  persisted: PersistOutcome[];
  warnings: string[];
}

interface Planned {
  a: QemuArch;
  out: ArchOutcome;
  desired: Entry | null;
  live: Entry | null;
  /** Why this architecture cannot be emulated (no emulator, a dynamic one): fatal when named, a note with `all`. */
  error: BinfmtError | null;
}

function plannedFor(a: QemuArch, req: EmulateRequest, t: OpenedTarget, flags: string, live: Entry | null): Planned {
  const out: ArchOutcome = {
    arch: a.qemu,
    platform: a.platform,
    entry: emulatorEntryName(a),
    action: 'unavailable',
    emulator: null,
    line: null,
    native: null,
    note: null,
  };
  try {
    const path = findEmulator(a, req.emulatorDirs);
    if (!req.force) requireStatic(a, path);
    const inside = t.inside(path);
    if (inside === null)
      throw new BinfmtError(
        'ENOENT',
        [
          `${path} is not visible inside process ${t.pid}'s root (neither at the same path nor under /run/host): give `,
          option('emulatorDir'),
          ' a directory the container sees',
        ],
        'emulator',
      );
    Object.assign(out, { emulator: path, line: emulatorRegisterLine(a, inside, flags) });
    return { a, out, desired: emulatorEntry(a, inside, flags), live, error: null };
  } catch (e) {
    if (!(e instanceof BinfmtError)) throw e;
    return { a, out: { ...out, note: e.message }, desired: null, live, error: e };
  }
}

function same(a: Entry, b: Entry): boolean {
  return entryDifferences({ ...a, enabled: undefined }, { ...b, enabled: undefined }).length === 0;
}

/** Decides what each architecture needs, from the live entries and who owns them. */
function decide(p: Planned, owned: ReadonlySet<string>, req: EmulateRequest, t: OpenedTarget): void {
  const { desired, live, out } = p;
  if (!desired) return;
  if (!live) {
    out.action = 'register';
    return;
  }
  const ours = owned.has(live.name);
  if (same(live, desired)) {
    const pin = ours && t.pid === null ? pinState(desired.interpreter) : null;
    if (pin === 'replaced') {
      out.action = 'replace';
      out.note = `${desired.interpreter} is a different file than the one F pinned (upgraded?): registered again so the kernel runs the new one`;
    } else {
      out.action = 'unchanged';
      if (!ours) out.note = `'${live.name}' is already exactly this, registered by someone else: left to them`;
    }
    return;
  }
  if (ours || req.force) {
    out.action = 'replace';
    if (!ours)
      out.note = `'${live.name}' was registered by someone else (${live.interpreter}, flags ${live.flags || '-'}): taken over (${plainText([option('force')])})`;
    return;
  }
  out.action = 'foreign';
  out.note =
    `'${live.name}' exists, registered by someone else (${live.interpreter}, flags ${live.flags || '-'}): ` +
    `left alone (${plainText([option('force'), ' replaces it'])})`;
}

export function emulate(req: EmulateRequest): EmulateResult {
  const { arches, all } = selectArches(req.arches);
  if (req.persist && req.target.kind !== 'mount')
    throw new BinfmtError(
      'EINVAL',
      [
        option('persist'),
        " writes /etc/binfmt.d, which the machine registers at boot in its own instance; a user namespace's instance cannot be persisted",
      ],
      option('persist'),
    );
  const t = openTarget(req.target, req.stateDir, !req.dryRun);
  if (!t)
    throw new BinfmtError(
      'ESRCH',
      [
        option('podman'),
        ' ',
        option('dryRun'),
        ": podman's pause process is not running (a real run starts it with podman unshare), so there is no instance to compare with",
      ],
      option('podman'),
    );
  try {
    const kernel = t.inst.kernel;
    const { byName: live, owned } = liveState(t);
    const flags = emulatorFlags({ credentials: req.credentials });

    // An entry binfmt owns that is already exactly what would be written needs neither the probe nor a write.
    const planned: Planned[] = [];
    const toProbe: QemuArch[] = [];
    for (const a of arches) {
      const p = plannedFor(a, req, t, flags, live.get(emulatorEntryName(a)) ?? null);
      const fast = p.desired && p.live && owned.has(p.live.name) && same(p.live, p.desired);
      if (!fast) toProbe.push(a);
      planned.push(p);
    }
    const natives = nativeVerdicts(toProbe);
    for (const p of planned) {
      const v = natives.get(p.a.qemu);
      if (v?.native) {
        Object.assign(p.out, { action: 'native', native: v.how, line: null, note: null });
        p.desired = null;
        continue;
      }
      if (p.error && !all) throw p.error;
      decide(p, owned, req, t);
    }
    const outcomes = planned.map((p) => p.out);
    const writes = planned.filter((p) => p.out.action === 'register' || p.out.action === 'replace');
    // --persist writes binfmt.d only once the kernel has the entries: a refused batch leaves no file behind.
    const toPersist = req.persist
      ? planned.filter(
          (p) => p.desired && (writes.includes(p) || (p.out.action === 'unchanged' && owned.has(p.desired.name))),
        )
      : [];
    const persistAll = (): PersistOutcome[] => toPersist.map((p) => persist(req.configRoot, p.desired!, req.dryRun));
    if (req.dryRun) {
      return { label: kernel.label, pid: t.pid, outcomes, changed: false, persisted: persistAll(), warnings: [] };
    }
    const actions: PlanAction<Entry>[] = writes.map((p) =>
      p.live
        ? {
            kind: 'change',
            name: p.desired!.name,
            from: p.live,
            to: p.desired!,
            source: EMULATE_SOURCE,
            reason: 'definition',
            adopt: false,
          }
        : { kind: 'add', name: p.desired!.name, to: p.desired!, source: EMULATE_SOURCE },
    );
    const steps = kernelStepGroups(actions, live.keys()).flatMap((g) => g.steps);
    const r = runBatch(kernel, steps);
    if (steps.length && !r.ok) {
      const f = r.failures[0]!;
      throw new BinfmtError(
        f.code,
        `${f.step.name}: ${f.message} (nothing changed: every step done was undone)`,
        'arch',
      );
    }
    const persisted = persistAll();
    const warnings: string[] = [];
    // Entries registered now, and owned ones now persisted: recorded as the file's when persisted, as apply records them.
    const fileOf = (p: Planned) => persisted.find((x) => x.path.endsWith(`/${p.desired!.name}.conf`));
    const newlyPersisted = toPersist.filter((p) => fileOf(p)?.unchanged === false);
    const records = [...new Set([...writes, ...newlyPersisted])].map((p) => {
      const f = fileOf(p);
      return { entry: p.desired!, source: f ? `${f.path}:2` : EMULATE_SOURCE };
    });
    try {
      if (records.length) recordOwnership(t, records, []);
    } catch (e) {
      warnings.push(`registered, but the ownership state was not recorded: ${(e as Error).message}`);
    }
    return { label: kernel.label, pid: t.pid, outcomes, changed: writes.length > 0, persisted, warnings };
  } finally {
    t.inst.close();
  }
}

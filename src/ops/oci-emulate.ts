/**
 * `binfmt oci-hook emulate`: the emulation hook run. A container whose entry
 * point is an ELF file for an architecture this CPU does not run gets that
 * architecture's qemu registered in its user namespace's binfmt_misc before
 * the entry point starts.
 *
 * The hook runs for every container (hooks.d cannot match an architecture),
 * so a native one costs the state and config.json parses and one small read:
 * a head whose ELF machine is this CPU's own needs no probe. Other heads are
 * matched against the emulators' table and probed (an i386 program on
 * x86-64 runs natively). It never fails a container that did not ask by the
 * annotation run.binfmt.emulate; one that asked and cannot get its emulator
 * fails to start with the reason (the runtime shows the hook's line).
 *
 * Where things are resolved, at the hook's stage (createRuntime: the
 * container's mount namespace is set up, pivot_root has not happened):
 * - the entry point in the container's root file system, through PID's
 *   root (volumes are mounted in the container's mount namespace only);
 * - the instance is attached at the container's /proc/sys/fs/binfmt_misc,
 *   so that it lives as long as the container (the last unmount of an
 *   instance deletes its entries);
 * - `register` is written by a process whose root is PID's root, which is
 *   still the host's tree: with F the kernel opens the emulator there and
 *   then, so the emulator needs to exist on the host only, and qemu answers
 *   /proc/self/exe itself.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { isSystemError } from '../sys/native.js';
import { entryPoint, isOwnMachine, type RootReader } from '../core/entry-point.js';
import { EMULATE_ANNOTATION, emulateRequest, parseBundleConfig, parseContainerState } from '../core/oci-hook.js';
import { parseRegister } from '../core/register-parse.js';
import { entryDifferences } from '../core/entry-diff.js';
import { archOfHead, emulatorEntryName, findArch, type QemuArch } from '../core/qemu-arch.js';
import { openInstance } from '../kernel/instance.js';
import { visibleInside } from '../kernel/pid-instance.js';
import { emulatorFlags } from '../core/emulator-entry.js';
import { emulatorLine, runsNatively } from './emulate.js';
import type { HookAction } from './oci-hook.js';
import { findEmulator, requireStatic } from './emulator-file.js';

export type EmulateAction = HookAction;

export interface EmulateOutcome {
  container: string;
  pid: number;
  /** qemu's name of the architecture, once known. */
  arch: string | null;
  action: EmulateAction;
  /** The emulator path as registered. */
  interpreter: string | null;
  reason: string;
  /** 1 only for a container that asked by annotation and did not get its emulator. */
  exitCode: number;
}

/** Reads the container's root through `base` (PID's root joined with the root file system's path). */
function rootReader(base: string): RootReader {
  return {
    readlink(path) {
      try {
        return readlinkSync(base + path);
      } catch {
        return null;
      }
    },
    head(path, bytes) {
      let fd: number;
      try {
        // O_NONBLOCK: a FIFO named as the entry point must not hold the container up.
        fd = openSync(base + path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      } catch {
        return null;
      }
      try {
        const st = fstatSync(fd);
        if (!st.isFile()) return null;
        const buf = Buffer.alloc(bytes);
        const got = readSync(fd, buf, 0, bytes, 0);
        return { bytes: new Uint8Array(buf.subarray(0, got)), executable: (st.mode & 0o111) !== 0 };
      } catch {
        return null;
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** The hook run: state JSON (stdin) in, one decision out. Throws only for a state that is not one. */
export function runEmulateHook(
  stateText: string,
  o: { emulatorDirs?: string[]; dryRun: boolean; arch?: string },
): EmulateOutcome {
  const state = parseContainerState(stateText);
  const req = emulateRequest(state.annotations);
  const base = { container: state.id.slice(0, 12), pid: state.pid, arch: null, interpreter: null };
  const skip = (reason: string): EmulateOutcome => ({ ...base, action: 'skipped', reason, exitCode: 0 });
  const fail = (reason: string, arch: string | null = null): EmulateOutcome => ({
    ...base,
    arch,
    action: 'failed',
    reason,
    exitCode: req.asked ? 1 : 0,
  });
  if (req.mode === 'off') return skip(`annotation ${EMULATE_ANNOTATION}=off`);
  let config;
  try {
    config = parseBundleConfig(readFileSync(join(state.bundle, 'config.json'), 'utf8'), state.bundle);
  } catch (e) {
    return fail(`cannot read ${state.bundle}/config.json: ${(e as Error).message}`);
  }
  let arch: QemuArch;
  let why: string;
  if (req.mode === 'arch') {
    const a = findArch(req.arch);
    if (!a) return fail(`annotation ${EMULATE_ANNOTATION}=${req.arch}: not an architecture qemu emulates`);
    arch = a;
    why = `annotation ${EMULATE_ANNOTATION}=${req.arch}`;
  } else {
    const ep = entryPoint(config.args, config.env, config.cwd, rootReader(`/proc/${state.pid}/root${config.root}`));
    if (!ep.ok) return req.asked ? fail(`entry point ${ep.reason}`) : skip(`entry point ${ep.reason}`);
    if (isOwnMachine(ep.head, o.arch ?? process.arch)) return skip(`${ep.path} is native`);
    const a = archOfHead(ep.head);
    if (!a) return skip(`${ep.path} is no program qemu emulates`);
    arch = a;
    why = `${ep.chain.join(' -> ')} is ${a.qemu}`;
  }
  const named = { ...base, arch: arch.qemu };
  if (runsNatively(arch)) return { ...named, action: 'skipped', reason: `this CPU runs ${arch.qemu}`, exitCode: 0 };
  let emulator: string;
  try {
    emulator = findEmulator(arch, o.emulatorDirs);
    requireStatic(arch, emulator);
  } catch (e) {
    return fail((e as Error).message, arch.qemu);
  }
  const interpreter = visibleInside(state.pid, '', emulator);
  if (!interpreter) return fail(`${emulator} is not visible from the container's runtime`, arch.qemu);
  try {
    const action = registerEmulator(state.pid, config.root, arch, interpreter, o.dryRun);
    return { ...named, action, interpreter, reason: why, exitCode: 0 };
  } catch (e) {
    return { ...fail((e as Error).message, arch.qemu), interpreter };
  }
}

/**
 * Attaches the instance at the container's /proc/sys/fs/binfmt_misc (from
 * its root file system) and registers from PID's root (the host's tree).
 * An entry of that name already there is left as it is: another container
 * of the same user namespace (podman's, shared by default) or `binfmt
 * emulate --podman` put it there, and one that registered it the same
 * instant is no failure.
 */
function registerEmulator(pid: number, root: string, a: QemuArch, interpreter: string, dryRun: boolean): EmulateAction {
  const line = emulatorLine(a, interpreter, emulatorFlags());
  const parsed = parseRegister(line);
  if (!parsed.ok)
    throw new Error(`the ${a.qemu} line does not parse: ${parsed.diagnostics[0]?.message ?? parsed.errno}`);
  const name = emulatorEntryName(a);
  const inst = openInstance({ pid, subroot: root, writeRoot: '', attach: !dryRun });
  try {
    const kernel = inst.kernel;
    if (kernel.has(name)) return 'present';
    if (dryRun) return 'would-register';
    try {
      kernel.register(new TextEncoder().encode(line), parsed.entry);
      return 'registered';
    } catch (e) {
      const raced = isSystemError(e) ? e.code === 'EEXIST' : /already exists/.test((e as Error).message);
      if (raced && kernel.has(name) && entryDifferences(parsed.entry, kernel.read(name)).length === 0) return 'present';
      throw e;
    }
  } finally {
    inst.close();
  }
}

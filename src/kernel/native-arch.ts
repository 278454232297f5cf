/**
 * Whether the CPU runs an architecture's programs itself, found by running
 * that architecture's exit(0) probe (src/core/probe-elf.ts), as
 * tonistiigi/binfmt does with its test binaries: what the CPU and kernel
 * really run counts (i386 on x86_64 only with IA32 emulation; arm on aarch64
 * only on CPUs with AArch32), not a guess by family.
 *
 * binfmt_misc sits ahead of the ELF loader, so an emulator entry would make
 * the probe succeed too. The probes therefore run in a throw-away user and
 * mount namespace that mounts its own binfmt_misc (src/kernel/sandbox.ts):
 * on Linux 6.7 and later that is a fresh, empty instance, and no entry of the
 * machine's or the caller's applies. They are started by node (libuv's
 * execvp does not retry a file the kernel refuses as a shell script, as
 * glibc's and the shells' do), and a refused probe fails with ENOEXEC.
 *
 * Before 6.7 no namespace can have an instance of its own (the mount fails,
 * and a nested user namespace shares its parent's). Then a probe runs
 * directly when no enabled entry of the visible instance matches it: the
 * kernel answers truthfully. When one does, the answer is the kernel's own
 * architecture (and i386 on x86_64), and it says it is a guess.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry } from '../core/entry.js';
import { matchEntry } from '../core/match.js';
import { probeElf } from '../core/probe-elf.js';
import type { QemuArch } from '../core/qemu-arch.js';
import { BinfmtMisc, DEFAULT_MOUNT } from './binfmt-misc.js';
import { sandboxArgv } from './sandbox.js';

export type NativeHow = 'sandbox' | 'direct' | 'guess';

export interface NativeVerdict {
  native: boolean;
  /** How it was decided: in a fresh instance, by running directly with no entry matching, or guessed. */
  how: NativeHow;
}

/** A probe exits at once; this bounds a hung emulator or a stuck namespace set-up. */
const PROBE_TIMEOUT_MS = 20_000;

/** Node's process.arch → qemu's name, for the guess before Linux 6.7. */
const NODE_ARCH: Record<string, readonly string[]> = {
  x64: ['x86_64', 'i386'],
  ia32: ['i386'],
  arm64: ['aarch64'],
  arm: ['arm'],
  riscv64: ['riscv64'],
  ppc64: ['ppc64le'],
  s390x: ['s390x'],
  loong64: ['loongarch64'],
  mips64el: ['mips64el'],
};

const RUNNER = `const { spawnSync } = require('child_process');
for (const p of process.argv.slice(1)) {
  const r = spawnSync(p, [], { stdio: 'ignore', timeout: ${PROBE_TIMEOUT_MS} });
  console.log(require('path').basename(p) + '=' + (r.error ? r.error.code : r.status));
}`;

function writeProbes(dir: string, arches: readonly QemuArch[]): string[] {
  return arches.map((a) => {
    const p = join(dir, a.qemu);
    writeFileSync(p, probeElf(a));
    chmodSync(p, 0o755);
    return p;
  });
}

/** Runs the probes in a fresh binfmt_misc instance; null when no such sandbox can be made here. */
function inSandbox(paths: string[]): Map<string, boolean> | null {
  const [bin, ...args] = sandboxArgv([process.execPath, '-e', RUNNER, ...paths], { privatePlaces: false });
  const r = spawnSync(bin!, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS * 2 });
  if (r.error || r.status !== 0) return null;
  const out = new Map<string, boolean>();
  for (const m of r.stdout.matchAll(/^([\w-]+)=(\S+)$/gm)) out.set(m[1]!, m[2] === '0');
  return out.size === paths.length ? out : null;
}

function liveEntries(): Entry[] {
  try {
    return new BinfmtMisc(DEFAULT_MOUNT).list();
  } catch {
    return [];
  }
}

/** Without a fresh instance: run directly when nothing captures the probe, else guess from the kernel's own architecture. */
function withoutSandbox(arches: readonly QemuArch[], paths: string[]): Map<string, NativeVerdict> {
  const entries = liveEntries();
  const out = new Map<string, NativeVerdict>();
  arches.forEach((a, i) => {
    const path = paths[i]!;
    if (!matchEntry(entries, { path, head: probeElf(a) })) {
      const r = spawnSync(path, [], { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS });
      out.set(a.qemu, { native: !r.error && r.status === 0, how: 'direct' });
    } else {
      out.set(a.qemu, { native: (NODE_ARCH[arch()] ?? []).includes(a.qemu), how: 'guess' });
    }
  });
  return out;
}

/** Which of `arches` the CPU runs itself, by qemu name. */
export function nativeVerdicts(arches: readonly QemuArch[]): Map<string, NativeVerdict> {
  if (arches.length === 0) return new Map();
  const dir = mkdtempSync(join(tmpdir(), 'binfmt-native-'));
  try {
    const paths = writeProbes(dir, arches);
    const sandboxed = inSandbox(paths);
    if (!sandboxed) return withoutSandbox(arches, paths);
    return new Map(arches.map((a) => [a.qemu, { native: sandboxed.get(a.qemu) === true, how: 'sandbox' }]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the CPU runs `a`'s programs itself (no emulator entry can make this true). */
export function runsNatively(a: QemuArch): boolean {
  return nativeVerdicts([a]).get(a.qemu)?.native === true;
}

/**
 * Runs `a`'s probe through whatever the instance of this process's user
 * namespace (pid null) or of PID's does with it: true when it exits 0. For
 * PID the probe is written where PID's mount namespace sees it (the host's
 * temporary directory, directly or under /run/host) and run with nsenter;
 * false when it cannot be placed there.
 */
export function probeRuns(a: QemuArch, pid: number | null, inside: (p: string) => string | null): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'binfmt-probe-'));
  try {
    const [path] = writeProbes(dir, [a]);
    if (pid === null) {
      const r = spawnSync(path!, [], { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS });
      return !r.error && r.status === 0;
    }
    chmodSync(dir, 0o755);
    const seen = inside(path!);
    if (seen === null) return false;
    const own = statSync('/proc/self/ns/user').ino === statSync(`/proc/${pid}/ns/user`).ino;
    const argv = ['-t', String(pid), ...(own ? [] : ['-U', '--preserve-credentials']), '-m', '--', seen];
    const r = spawnSync('nsenter', argv, { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS });
    return !r.error && r.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

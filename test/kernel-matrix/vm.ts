/**
 * Booting one matrix VM: qemu-system-x86_64 (or -aarch64) with TCG (KVM does
 * not work on these machines), the kernel, a joined initramfs, and the result
 * lines (those starting with @@) read from the result port: the second serial
 * port on x86, the console on arm64 virt (it has one UART). A pool runs as
 * many VMs at once as there are cores.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';

/** A VM must be done in this time, or it counts as hung (TCG on a busy 2-core machine). */
export const VM_TIMEOUT_MS = 240_000;

export interface VmSpec {
  arch: 'amd64' | 'arm64';
  kernel: string;
  initrd: string;
  /** Where the console and the result port are written (files). */
  consoleFile: string;
  resultFile: string;
  memoryMiB?: number;
}

export interface VmRun {
  ok: boolean;
  seconds: number;
  lines: string[];
  error?: string;
}

function qemuArgs(s: VmSpec): [string, string[]] {
  const common = [
    '-m',
    String(s.memoryMiB ?? 512),
    '-nographic',
    '-no-reboot',
    '-net',
    'none',
    '-monitor',
    'none',
    '-kernel',
    s.kernel,
    '-initrd',
    s.initrd,
  ];
  // quiet and loglevel=1: kernel messages stay off the arm64 console the results share.
  if (s.arch === 'arm64') {
    return [
      'qemu-system-aarch64',
      [
        '-M',
        'virt',
        '-cpu',
        'cortex-a57',
        '-accel',
        'tcg',
        ...common,
        '-append',
        'console=ttyAMA0 panic=-1 quiet loglevel=1',
        '-serial',
        `file:${s.resultFile}`,
      ],
    ];
  }
  // no_timer_check: on a busy host TCG is slow enough for the kernel's IO-APIC
  // timer check to fail ("IO-APIC + timer doesn't work!") and panic at boot.
  return [
    'qemu-system-x86_64',
    [
      '-accel',
      'tcg',
      ...common,
      '-append',
      'console=ttyS0 panic=-1 quiet no_timer_check',
      '-serial',
      `file:${s.consoleFile}`,
      '-serial',
      `file:${s.resultFile}`,
    ],
  ];
}

/**
 * Boots once more if the guest never reached its init (no result line at all):
 * that is the emulator or a loaded host failing, not a result; the retry is
 * reported. A guest that started its jobs is never booted again.
 */
export async function bootVmRetrying(s: VmSpec): Promise<VmRun & { retried?: string }> {
  const first = await bootVm(s);
  if (first.ok || first.lines.length > 0) return first;
  const again = await bootVm(s);
  return { ...again, seconds: first.seconds + again.seconds, retried: first.error ?? 'no result' };
}

export function bootVm(s: VmSpec): Promise<VmRun> {
  const [cmd, args] = qemuArgs(s);
  writeFileSync(s.resultFile, '');
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), VM_TIMEOUT_MS);
    p.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, seconds: 0, lines: [], error: `${cmd}: ${e.message}` });
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - t0) / 1000;
      const text = existsSync(s.resultFile) ? readFileSync(s.resultFile, 'latin1') : '';
      const lines = text
        .split(/\r?\n/)
        .filter((l) => l.startsWith('@@'))
        .map((l) => l.slice(2));
      const ended = lines.includes('end');
      const error = ended
        ? undefined
        : signal
          ? `killed after ${VM_TIMEOUT_MS / 1000} s`
          : `qemu exited ${code} before the job ended: ${stderr.trim().slice(0, 300)}`;
      resolve({ ok: ended, seconds, lines, error });
    });
  });
}

/** Runs fn over items with at most `width` at a time, keeping the order of results. */
export async function pool<T, R>(
  items: T[],
  fn: (t: T) => Promise<R>,
  width = Math.max(1, cpus().length),
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

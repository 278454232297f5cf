/**
 * `npm run test:kernels`: the kernel matrix. Fetches Debian's kernels (private
 * apt lists, scripts/kernels/fetch.sh), builds one initramfs per kernel, boots
 * each under qemu (TCG), and checks on every kernel:
 *   strings  the register-string differential (parseRegister with that kernel's rules)
 *   loader   the loader in command mode and as a binfmt_misc interpreter,
 *            flags none/P/O/PO/F/POF/C (and P through a copy stamped for P)
 *   cli      (kernels marked cli) the CLI inside the VM, on the VM's own binfmt_misc
 * The arm64 kernels boot under qemu-system-aarch64 with the aarch64 loader.
 * Writes build/kernels/results.json, prints a table and a plain summary line,
 * exits non-zero on any failure or when fewer than the minimum kernels booted.
 * Cache (kernels, private apt lists): $BINFMT_KERNELS_CACHE, else
 * /var/cache/binfmt-kernels as root, else $XDG_CACHE_HOME/binfmt-kernels.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseKernelVersion, runningKernelVersion, type KernelVersion } from '../../src/core/kernel-version.js';
import { openExecErrno } from '../../src/kernel/interpreter-probe.js';
import { checkStrings, type StringsResult } from './check-strings.js';
import { checkLoader, FLAG_SETS, UNSTAMPED_SETS, type LoaderResult } from './check-loader.js';
import { checkCli, type CliResult } from './check-cli.js';
import { checkUserns } from './check-userns.js';
import {
  ROOT,
  baseInitramfs,
  buildGuestHelpers,
  cliArchive,
  kernelInitrd,
  sh,
  stringsFile,
  type Arch,
} from './guest-build.js';
import { bootVmRetrying, pool } from './vm.js';
import { printTable } from './table.js';

const SEED = Number(process.env.BINFMT_DIFF_SEED ?? 20261127);
const COUNT = Number(process.env.BINFMT_KERNEL_STRINGS ?? 3000);

export const cacheDir = (): string =>
  process.env.BINFMT_KERNELS_CACHE ??
  (process.getuid?.() === 0
    ? '/var/cache/binfmt-kernels'
    : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'binfmt-kernels'));

interface Listed {
  pkg: string;
  suite: string;
  cli?: boolean;
}
interface Matrix {
  minimum: number;
  amd64: Listed[];
  arm64: Listed[];
}
export interface KernelRow {
  pkg: string;
  arch: Arch;
  debianVersion: string;
  upstream: string;
  booted: boolean;
  seconds: number;
  error?: string;
  /** Why the first boot was repeated (it never reached init). */
  retried?: string;
  strings?: StringsResult;
  loader?: LoaderResult;
  cli?: CliResult;
  /** Whether a user namespace could mount its own binfmt_misc; disagreements with the rules table. */
  usernsInstances?: boolean;
  userns?: string[];
}

interface Fetched {
  pkg: string;
  arch: Arch;
  version: string;
  dir: string;
  cli: boolean;
}
function fetchKernels(arch: Arch, cache: string, listed: Listed[]): Fetched[] {
  if (listed.length === 0) return [];
  const out = sh('bash', ['scripts/kernels/fetch.sh', arch, cache, ...listed.map((l) => l.pkg)], 'fetching kernels');
  const got: Fetched[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [state, pkg, ...rest] = line.split(' ');
    if (state === 'ok')
      got.push({ pkg: pkg!, arch, version: rest[0]!, dir: rest[1]!, cli: listed.some((l) => l.pkg === pkg && l.cli) });
    else console.log(`SKIP ${pkg}: ${rest.join(' ')}`);
  }
  return got;
}

interface Guest {
  base: { file: string; stage: string };
  inputs: Uint8Array[];
  cli: string | null;
  sets: string[];
  programs: string[];
}

function prepare(arch: Arch, work: string, cache: string, kernels: Fetched[]): Guest | null {
  if (kernels.length === 0) return null;
  const busybox =
    arch === 'amd64'
      ? '/bin/busybox'
      : sh(
          'bash',
          ['scripts/kernels/fetch-file.sh', arch, cache, 'busybox-static', 'busybox'],
          'fetching busybox',
        ).trim();
  const helpers = buildGuestHelpers(work, arch);
  const { inputs, file } = stringsFile(work, SEED, COUNT);
  const base = baseInitramfs(work, arch, busybox, helpers, file);
  const cli = arch === 'amd64' && kernels.some((k) => k.cli) ? cliArchive(work) : null;
  return arch === 'amd64'
    ? { base, inputs, cli, sets: FLAG_SETS, programs: ['probe', 'probe-static', 'probe-musl', 'status'] }
    : { base, inputs, cli, sets: UNSTAMPED_SETS, programs: ['probe', 'probe-static', 'status'] };
}

async function boot(k: Fetched, g: Guest, work: string): Promise<KernelRow> {
  const row: KernelRow = {
    pkg: k.pkg,
    arch: k.arch,
    debianVersion: k.version,
    upstream: '',
    booted: false,
    seconds: 0,
  };
  const runsCli = k.cli && g.cli !== null;
  const run = await bootVmRetrying({
    arch: k.arch,
    kernel: `${k.dir}/vmlinuz`,
    initrd: kernelInitrd(work, runsCli ? [g.base.file, g.cli!] : [g.base.file], k.pkg, `${k.dir}/binfmt_misc.ko`),
    consoleFile: join(work, `${k.pkg}.console`),
    resultFile: join(work, `${k.pkg}.result`),
    memoryMiB: runsCli ? 1536 : 512,
  });
  row.seconds = run.seconds;
  if (run.retried) {
    row.retried = run.retried;
    console.log(`RETRY ${k.pkg}: the first boot never reached init (${run.retried})`);
  }
  const proc = run.lines.find((l) => l.startsWith('version '))?.slice(8) ?? '';
  const seen = runningKernelVersion(proc, '');
  const fromPackage = parseKernelVersion(k.version);
  const v: KernelVersion | null = seen.ok ? seen.version : fromPackage.ok ? fromPackage.version : null;
  row.upstream = v ? `${v.major}.${v.minor}.${v.patch}` : '?';
  if (!run.ok || !v) {
    row.error = run.error ?? `no upstream version in /proc/version: ${proc}`;
    return row;
  }
  row.booted = true;
  // What open_exec() would say inside the guest: the same tree, read on the host.
  row.strings = checkStrings(g.inputs, run.lines, v, (p) => openExecErrno(p, '/', g.base.stage));
  row.loader = checkLoader(run.lines, g.programs, v, g.sets);
  if (runsCli) row.cli = checkCli(run.lines);
  row.usernsInstances = run.lines.includes('userns yes');
  row.userns = checkUserns(run.lines, v);
  console.log(`booted ${k.pkg} (${row.upstream}) in ${run.seconds.toFixed(1)} s`);
  return row;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  // BINFMT_KERNELS_LIST=FILE: another list in the format of kernels.json.
  const matrix = JSON.parse(
    readFileSync(process.env.BINFMT_KERNELS_LIST ?? join(ROOT, 'test', 'kernel-matrix', 'kernels.json'), 'utf8'),
  ) as Matrix;
  const cache = cacheDir();
  const work = join(ROOT, 'build', 'kernels');
  mkdirSync(work, { recursive: true });
  console.log(`kernel matrix: cache ${cache}`);
  // BINFMT_KERNELS=REGEX boots only the matching packages (for working on one kernel).
  const only = process.env.BINFMT_KERNELS ? new RegExp(process.env.BINFMT_KERNELS) : null;
  const pick = (l: Listed[]): Listed[] => l.filter((x) => !only || only.test(x.pkg));
  const listed = { amd64: pick(matrix.amd64), arm64: pick(matrix.arm64) };
  const kernels = {
    amd64: fetchKernels('amd64', cache, listed.amd64),
    arm64: fetchKernels('arm64', cache, listed.arm64),
  };
  const guests = {
    amd64: prepare('amd64', join(work, 'amd64'), cache, kernels.amd64),
    arm64: prepare('arm64', join(work, 'arm64'), cache, kernels.arm64),
  };
  // The CLI VMs take longest: start them first.
  const all = [...kernels.amd64, ...kernels.arm64].sort((a, b) => Number(b.cli) - Number(a.cli));
  const rows = await pool(all, (k) => boot(k, guests[k.arch]!, join(work, k.arch)));

  const booted = rows.filter((r) => r.booted).length;
  const problems = (r: KernelRow): string[] => [
    ...(r.strings?.mismatches ?? []),
    ...(r.loader?.failures ?? []),
    ...(r.cli?.failures ?? []),
    ...(r.userns ?? []),
  ];
  const failed = rows.filter((r) => !r.booted || problems(r).length > 0);
  const seconds = (Date.now() - t0) / 1000;
  const wanted = listed.amd64.length + listed.arm64.length;
  writeFileSync(
    join(work, 'results.json'),
    JSON.stringify({ seed: SEED, strings: COUNT, seconds, minimum: matrix.minimum, kernels: rows }, null, 2),
  );
  printTable(rows);
  for (const r of failed) {
    console.log(`FAIL ${r.pkg} (${r.upstream}): ${r.error ?? ''}`);
    for (const m of problems(r).slice(0, 15)) console.log(`  ${m}`);
  }
  const tooFew = booted < Math.min(matrix.minimum, wanted);
  if (tooFew) console.log(`FAIL only ${booted} kernels booted; the matrix needs at least ${matrix.minimum}`);
  // Too few kernels is a failure of the run itself: it counts as one.
  console.log(
    `kernels: ${booted - failed.filter((r) => r.booted).length} passed, ${failed.length + (tooFew ? 1 : 0)} failed, ${wanted - all.length} skipped (${seconds.toFixed(0)} s; results in build/kernels/results.json)`,
  );
  return failed.length > 0 || tooFew ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.log(`kernels: 0 passed, 1 failed (${e.message})`);
    process.exit(1);
  },
);

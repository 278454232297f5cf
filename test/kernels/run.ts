/**
 * `npm run test:kernels`: the kernel matrix. Fetches Debian's kernels (private
 * apt lists, scripts/kernels/fetch.sh), builds one initramfs per kernel, boots
 * each under qemu (TCG), and checks on every kernel:
 *   strings  the register-string differential (parseRegister with --kernel's rules)
 *   loader   the loader as a binfmt_misc interpreter, flags none/P/O/PO/F/POF/C
 *   cli      (kernels marked cli) the CLI inside the VM, on the VM's own binfmt_misc
 * Writes build/kernels/results.json, prints a table and a plain summary line,
 * exits non-zero on any failure or when fewer than the minimum kernels booted.
 * Cache (kernels, private apt lists): $BINFMT_KERNELS_CACHE, else
 * /var/cache/binfmt-kernels as root, else $XDG_CACHE_HOME/binfmt-kernels.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseKernelVersion, runningKernelVersion, type KernelVersion } from '../../src/core/kernel-version.js';
import { openExecErrno } from '../../src/kernel/interpreter-probe.js';
import { EDGE_CASES, KERNEL_EDGE_CASES, generated } from '../kernel/register-strings.js';
import { checkStrings, type StringsResult } from './check-strings.js';
import { checkLoader, type LoaderResult } from './check-loader.js';
import { checkCli, type CliResult } from './check-cli.js';
import { bootVm, pool, type VmRun } from './vm.js';
import { printTable } from './table.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SEED = Number(process.env.BINFMT_DIFF_SEED ?? 20261127);
const COUNT = Number(process.env.BINFMT_KERNEL_STRINGS ?? 3000);
const PROGRAMS = ['probe', 'probe-static', 'probe-musl', 'status'];

export const cacheDir = (): string =>
  process.env.BINFMT_KERNELS_CACHE ??
  (process.getuid?.() === 0 ? '/var/cache/binfmt-kernels' : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'binfmt-kernels'));

interface Listed { pkg: string; suite: string; cli?: boolean }
interface Matrix { minimum: number; amd64: Listed[]; arm64: Listed[] }
export interface KernelRow {
  pkg: string;
  arch: string;
  debianVersion: string;
  upstream: string;
  booted: boolean;
  seconds: number;
  error?: string;
  strings?: StringsResult;
  loader?: LoaderResult;
  cli?: CliResult;
}

function sh(cmd: string, args: string[], what: string): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}): exit ${r.status}`);
  return r.stdout;
}

interface Fetched { pkg: string; version: string; dir: string }
function fetchKernels(arch: string, cache: string, listed: Listed[]): Fetched[] {
  const out = sh('bash', ['scripts/kernels/fetch.sh', arch, cache, ...listed.map((l) => l.pkg)], 'fetching kernels');
  const got: Fetched[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [state, pkg, ...rest] = line.split(' ');
    if (state === 'ok') got.push({ pkg: pkg!, version: rest[0]!, dir: rest[1]! });
    else console.log(`SKIP ${pkg}: ${rest.join(' ')}`);
  }
  return got;
}

/** The helpers the guest runs, built static with musl (status with glibc: a PIE for ld.so). */
function buildGuestHelpers(work: string): string {
  const dir = join(work, 'helpers');
  mkdirSync(dir, { recursive: true });
  const g = join(ROOT, 'test', 'kernels', 'guest');
  sh('musl-gcc', ['-O2', '-static', '-o', join(dir, 'regtest'), join(g, 'regtest.c')], 'building regtest');
  sh('musl-gcc', ['-O2', '-static', '-o', join(dir, 'spawn'), join(g, 'spawn.c')], 'building spawn');
  sh('gcc', ['-O2', '-o', join(dir, 'status'), join(g, 'status.c')], 'building status');
  sh('bash', ['test/fixtures/loader/build.sh'], 'building the loader fixtures');
  return dir;
}

function stringsFile(work: string): { inputs: Uint8Array[]; file: string } {
  const inputs = [...EDGE_CASES, ...KERNEL_EDGE_CASES, ...generated(COUNT, SEED)];
  const parts: Buffer[] = [];
  for (const s of inputs) {
    const len = Buffer.alloc(2);
    len.writeUInt16LE(s.length);
    parts.push(len, Buffer.from(s));
  }
  const file = join(work, 'strings.bin');
  writeFileSync(file, Buffer.concat(parts));
  return { inputs, file };
}

/**
 * A loader copy that knows its entry has P (for kernels that do not set the
 * AT_FLAGS bit): stamped with each program's own ld.so, then the config
 * area's flags word (magic "BFLDCONF", offset 20) gets CONFIG_ENTRY_P (4).
 */
function stampedPCopy(work: string): string {
  const out = join(work, 'binfmt-loader-p');
  sh('node', ['dist/cli/binfmt.cjs', 'loader', 'stamp', '--out', out, '--ld-from-program'], 'stamping a loader copy');
  const b = readFileSync(out);
  const at = b.indexOf('BFLDCONF');
  if (at < 0) throw new Error('stamped loader copy has no BFLDCONF config area');
  b[at + 20] = b[at + 20]! | 4;
  writeFileSync(out, b);
  return out;
}

function baseInitramfs(work: string, helpers: string, strings: string): { file: string; stage: string } {
  const fx = join(ROOT, 'build', 'test-fixtures', 'loader');
  const file = join(work, 'base-amd64.cpio.gz');
  const files = [
    `${helpers}/spawn=t/spawn`, `${helpers}/regtest=t/regtest`, `${strings}=t/strings.bin`,
    `${ROOT}/build/Release/binfmt-loader=t/binfmt-loader`, `${stampedPCopy(work)}=t/binfmt-loader-p`,
    `${fx}/probe=t/p/probe`, `${fx}/probe-static=t/p/probe-static`, `${fx}/probe-musl=t/p/probe-musl`, `${helpers}/status=t/p/status`,
    // The dynamic programs' ld.so and libc, where their PT_INTERP and ld.so's default path look.
    '/lib64/ld-linux-x86-64.so.2=lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/libc.so.6=lib/x86_64-linux-gnu/libc.so.6',
    '/lib/ld-musl-x86_64.so.1=lib/ld-musl-x86_64.so.1',
  ];
  sh('bash', ['scripts/kernels/initramfs.sh', 'base', file, '/bin/busybox', 'test/kernels/guest', ...files], 'building the initramfs');
  return { file, stage: `${file}.d` };
}

/** The shared libraries `ldd` lists for a file, as SRC=DEST pairs at the same paths. */
function libsOf(file: string): string[] {
  return sh('ldd', [file], `ldd ${file}`).split('\n').map((l) => /(\/\S+) \(0x/.exec(l)?.[1]).filter((p): p is string => !!p)
    .map((p) => `${p}=${p.slice(1)}`);
}

/** This machine's node and its libraries, dist/ and build/Release: the CLI as installed, in /opt/binfmt. */
function cliArchive(work: string): string {
  const file = join(work, 'cli-amd64.cpio.gz');
  const node = process.execPath;
  const addon = join(ROOT, 'build', 'Release', 'binfmt_native.node');
  const files = [...new Set([...libsOf(node), ...libsOf(addon)])];
  files.push(`${node}=usr/bin/node`, `${ROOT}/package.json=opt/binfmt/package.json`, `${ROOT}/dist=opt/binfmt/dist`,
    `${addon}=opt/binfmt/build/Release/binfmt_native.node`, `${ROOT}/build/Release/binfmt-loader=opt/binfmt/build/Release/binfmt-loader`,
    `${ROOT}/binfmt=opt/binfmt/binfmt`, `${ROOT}/test/kernels/guest/cli-job.sh=t/jobs/30-cli.sh`);
  sh('bash', ['scripts/kernels/initramfs.sh', 'files', file, ...files], 'building the CLI archive');
  return file;
}

function kernelInitrd(work: string, parts: string[], k: Fetched): string {
  const mod = join(work, `${k.pkg}.module.cpio.gz`);
  sh('bash', ['scripts/kernels/initramfs.sh', 'files', mod, `${k.dir}/binfmt_misc.ko=lib/binfmt_misc.ko`], 'building the module archive');
  const out = join(work, `${k.pkg}.initrd`);
  writeFileSync(out, Buffer.concat([...parts, mod].map((p) => readFileSync(p))));
  return out;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const matrix = JSON.parse(readFileSync(join(ROOT, 'test', 'kernels', 'kernels.json'), 'utf8')) as Matrix;
  const cache = cacheDir();
  const work = join(ROOT, 'build', 'kernels');
  mkdirSync(work, { recursive: true });
  console.log(`kernel matrix: cache ${cache}`);
  // BINFMT_KERNELS=REGEX boots only the matching packages (for working on one kernel).
  const only = process.env.BINFMT_KERNELS ? new RegExp(process.env.BINFMT_KERNELS) : null;
  const listed = matrix.amd64.filter((l) => !only || only.test(l.pkg));
  const amd64 = fetchKernels('amd64', cache, listed);
  const helpers = buildGuestHelpers(work);
  const { inputs, file: strings } = stringsFile(work);
  const base = baseInitramfs(work, helpers, strings);
  // What open_exec() would say inside the guest: the same tree, read on the host.
  const guestOpen = (p: string): string | null => openExecErrno(p, '/', base.stage);
  const withCli = new Set(listed.filter((l) => l.cli).map((l) => l.pkg));
  const cli = withCli.size > 0 ? cliArchive(work) : null;
  // The CLI VMs take longest: start them first.
  amd64.sort((a, b) => Number(withCli.has(b.pkg)) - Number(withCli.has(a.pkg)));

  const rows: KernelRow[] = await pool(amd64, async (k) => {
    const upstream = parseKernelVersion(k.version);
    const row: KernelRow = { pkg: k.pkg, arch: 'amd64', debianVersion: k.version, upstream: '', booted: false, seconds: 0 };
    const runsCli = withCli.has(k.pkg) && cli !== null;
    const run: VmRun = await bootVm({ arch: 'amd64', kernel: `${k.dir}/vmlinuz`, initrd: kernelInitrd(work, runsCli ? [base.file, cli] : [base.file], k),
      consoleFile: join(work, `${k.pkg}.console`), resultFile: join(work, `${k.pkg}.result`), memoryMiB: runsCli ? 1536 : 512 });
    row.seconds = run.seconds;
    const proc = run.lines.find((l) => l.startsWith('version '))?.slice(8) ?? '';
    const seen = runningKernelVersion(proc, '');
    const v: KernelVersion | null = seen.ok ? seen.version : upstream.ok ? upstream.version : null;
    row.upstream = v ? `${v.major}.${v.minor}.${v.patch}` : '?';
    if (!run.ok || !v) {
      row.error = run.error ?? `no upstream version in /proc/version: ${proc}`;
      return row;
    }
    row.booted = true;
    row.strings = checkStrings(inputs, run.lines, v, guestOpen);
    row.loader = checkLoader(run.lines, PROGRAMS, v);
    if (runsCli) row.cli = checkCli(run.lines);
    console.log(`booted ${k.pkg} (${row.upstream}) in ${run.seconds.toFixed(1)} s`);
    return row;
  });

  const booted = rows.filter((r) => r.booted).length;
  const failed = rows.filter((r) => !r.booted || (r.strings?.mismatches.length ?? 0) > 0 || (r.loader?.failures.length ?? 0) > 0 || (r.cli?.failures.length ?? 0) > 0);
  const seconds = (Date.now() - t0) / 1000;
  writeFileSync(join(work, 'results.json'), JSON.stringify({ seed: SEED, strings: inputs.length, seconds, minimum: matrix.minimum, kernels: rows }, null, 2));
  printTable(rows);
  for (const r of failed) {
    console.log(`FAIL ${r.pkg} (${r.upstream}): ${r.error ?? ''}`);
    for (const m of [...(r.strings?.mismatches ?? []), ...(r.loader?.failures ?? []), ...(r.cli?.failures ?? [])].slice(0, 15)) console.log(`  ${m}`);
  }
  const tooFew = booted < Math.min(matrix.minimum, listed.length);
  if (tooFew) console.log(`FAIL only ${booted} kernels booted; the matrix needs at least ${matrix.minimum}`);
  console.log(`kernels: ${booted - failed.filter((r) => r.booted).length} passed, ${failed.length} failed, ${listed.length - amd64.length} skipped (${seconds.toFixed(0)} s; results in build/kernels/results.json)`);
  return failed.length > 0 || tooFew ? 1 : 0;
}

main().then((code) => process.exit(code), (e: Error) => {
  console.log(`kernels: 0 passed, 1 failed (${e.message})`);
  process.exit(1);
});

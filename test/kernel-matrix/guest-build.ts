/**
 * What goes into a matrix VM: the guest helpers (built for the VM's
 * architecture), the register strings, the loader and its test programs, the
 * CLI, and the initramfs archives (scripts/kernels/initramfs.sh) joined per kernel.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EDGE_CASES, KERNEL_EDGE_CASES, generated } from '../kernel/register-strings.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export type Arch = 'amd64' | 'arm64';

export function sh(cmd: string, args: string[], what: string): string {
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}): exit ${r.status}`);
  return r.stdout;
}

/** The helpers the guest runs: regtest and spawn static, status dynamic (a PIE run by ld.so). */
export function buildGuestHelpers(work: string, arch: Arch): string {
  const dir = join(work, `helpers-${arch}`);
  mkdirSync(dir, { recursive: true });
  const g = join(ROOT, 'test', 'kernel-matrix', 'guest');
  const [staticCc, cc] = arch === 'amd64' ? ['musl-gcc', 'gcc'] : ['aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-gcc'];
  sh(staticCc, ['-O2', '-static', '-o', join(dir, 'regtest'), join(g, 'regtest.c')], 'building regtest');
  sh(staticCc, ['-O2', '-static', '-o', join(dir, 'spawn'), join(g, 'spawn.c')], 'building spawn');
  sh(cc, ['-O2', '-o', join(dir, 'status'), join(g, 'status.c')], 'building status');
  sh('bash', ['test/fixtures/loader/build.sh'], 'building the loader fixtures');
  return dir;
}

/** The register strings, as records of a 2-byte little-endian length and the bytes (guest/regtest.c). */
export function stringsFile(work: string, seed: number, count: number): { inputs: Uint8Array[]; file: string } {
  const inputs = [...EDGE_CASES, ...KERNEL_EDGE_CASES, ...generated(count, seed)];
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
 * AT_FLAGS bit): stamped with each program's own ld.so and the entry's flags.
 */
function stampedPCopy(work: string): string {
  const out = join(work, 'binfmt-loader-p');
  sh(
    'node',
    ['dist/cli/binfmt.cjs', 'loader', 'stamp', '--out', out, '--ld-from-program', '--entry-flags', 'P'],
    'stamping a loader copy',
  );
  return out;
}

/** The common archive: busybox, /init, the jobs, helpers, strings, loader, programs and their ld.so. */
export function baseInitramfs(
  work: string,
  arch: Arch,
  busybox: string,
  helpers: string,
  strings: string,
): { file: string; stage: string } {
  const fx = join(ROOT, 'build', 'test-fixtures', 'loader');
  const file = join(work, `base-${arch}.cpio.gz`);
  const common = [
    `${helpers}/spawn=t/spawn`,
    `${helpers}/regtest=t/regtest`,
    `${strings}=t/strings.bin`,
    `${helpers}/status=t/p/status`,
  ];
  const files =
    arch === 'amd64'
      ? [
          ...common,
          `${ROOT}/build/Release/binfmt-loader=t/binfmt-loader`,
          `${stampedPCopy(work)}=t/binfmt-loader-p`,
          `${fx}/probe=t/p/probe`,
          `${fx}/probe-static=t/p/probe-static`,
          `${fx}/probe-musl=t/p/probe-musl`,
          // The dynamic programs' ld.so and libc, where their PT_INTERP and ld.so's default path look.
          '/lib64/ld-linux-x86-64.so.2=lib64/ld-linux-x86-64.so.2',
          '/lib/x86_64-linux-gnu/libc.so.6=lib/x86_64-linux-gnu/libc.so.6',
          '/lib/ld-musl-x86_64.so.1=lib/ld-musl-x86_64.so.1',
        ]
      : [
          ...common,
          `${ROOT}/build/Release/aarch64/binfmt-loader=t/binfmt-loader`,
          `${fx}/aarch64/probe=t/p/probe`,
          `${fx}/aarch64/probe-static=t/p/probe-static`,
          // Debian's cross packages (libc6-arm64-cross): the aarch64 glibc ld.so and libc.
          '/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1=lib/ld-linux-aarch64.so.1',
          '/usr/aarch64-linux-gnu/lib/libc.so.6=lib/aarch64-linux-gnu/libc.so.6',
        ];
  sh(
    'bash',
    ['scripts/kernels/initramfs.sh', 'base', file, busybox, 'test/kernel-matrix/guest', ...files],
    'building the initramfs',
  );
  return { file, stage: `${file}.d` };
}

/** The shared libraries `ldd` lists for a file, as SRC=DEST pairs at the same paths. */
function libsOf(file: string): string[] {
  return sh('ldd', [file], `ldd ${file}`)
    .split('\n')
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((p): p is string => !!p)
    .map((p) => `${p}=${p.slice(1)}`);
}

/** This machine's node and its libraries, dist/ and build/Release: the CLI as installed, in /opt/binfmt. */
export function cliArchive(work: string): string {
  const file = join(work, 'cli-amd64.cpio.gz');
  const node = process.execPath;
  const addon = join(ROOT, 'build', 'Release', 'binfmt_native.node');
  const files = [...new Set([...libsOf(node), ...libsOf(addon)])];
  files.push(
    `${node}=usr/bin/node`,
    `${ROOT}/package.json=opt/binfmt/package.json`,
    `${ROOT}/dist=opt/binfmt/dist`,
    `${addon}=opt/binfmt/build/Release/binfmt_native.node`,
    `${ROOT}/build/Release/binfmt-loader=opt/binfmt/build/Release/binfmt-loader`,
    `${ROOT}/binfmt=opt/binfmt/binfmt`,
    `${ROOT}/test/kernel-matrix/guest/cli-job.sh=t/jobs/30-cli.sh`,
  );
  sh('bash', ['scripts/kernels/initramfs.sh', 'files', file, ...files], 'building the CLI archive');
  return file;
}

/** base (+ more) + the kernel's own binfmt_misc module, joined into one initrd. */
export function kernelInitrd(work: string, parts: string[], pkg: string, moduleFile: string): string {
  const mod = join(work, `${pkg}.module.cpio.gz`);
  sh(
    'bash',
    ['scripts/kernels/initramfs.sh', 'files', mod, `${moduleFile}=lib/binfmt_misc.ko`],
    'building the module archive',
  );
  const out = join(work, `${pkg}.initrd`);
  writeFileSync(out, Buffer.concat([...parts, mod].map((p) => readFileSync(p))));
  return out;
}

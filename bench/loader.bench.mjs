#!/usr/bin/env node
// Spawn-and-wait latency of a dynamically linked /bin/true-like program:
// direct, `ld.so PROG`, loader command mode, and binfmt_misc -> loader (flags
// P, PF as the shipped definitions register, and POF), all inside one private
// binfmt_misc sandbox, interleaved round by
// round (bench/loader-timer.c), plus syscall counts from strace. Prints the
// medians and each ratio to direct. ROUNDS=N overrides the number of runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'bench');
const loader = join(root, 'build', 'Release', 'binfmt-loader');
const noSelfexec = join(root, 'build', 'Release', 'bench', 'binfmt-loader-no-selfexec');
const ldso = '/lib64/ld-linux-x86-64.so.2';
const rounds = Number(process.env.ROUNDS ?? 3000);
const baseline = process.env.BASELINE_LOADER;
const warm = 200;
mkdirSync(out, { recursive: true });

const exitMapped = join(root, 'build', 'Release', 'bench', 'binfmt-loader-exit-mapped');
const timer = join(out, 'loader-timer');
const prog = join(out, 'true-dyn');
execFileSync('gcc', ['-O2', '-o', timer, join(root, 'bench', 'loader-timer.c')]);
for (const target of ['binfmt-loader-no-selfexec', 'binfmt-loader-exit-mapped'])
  execFileSync('cmake', ['--build', join(root, 'build'), '--config', 'Release', '--target', target], {
    stdio: 'ignore',
  });
writeFileSync(join(out, 'ldso-exit'), ldsoThatExits(readFileSync(ldso)), { mode: 0o755 });
writeFileSync(join(out, 'true.c'), 'int main(void) { return 0; }\n');
execFileSync('gcc', ['-O2', '-o', prog, join(out, 'true.c')]);

/**
 * A copy of ld.so whose entry point exits at once (xor %edi,%edi; mov $231,%eax;
 * syscall: exit_group(0)), written into the zero padding after its executable
 * segment's last byte, on that segment's last page. Run directly, the kernel
 * maps it as it maps the interpreter of a direct exec (its p_memsz > p_filesz
 * tail zeroed too) and nothing else runs: the kernel's cost of what the
 * loader does up to binfmt-loader-exit-mapped.
 */
function ldsoThatExits(image) {
  const b = Buffer.from(image);
  const phoff = Number(b.readBigUInt64LE(32));
  const exit = Buffer.from('31ffb8e70000000f05', 'hex');
  for (let i = 0; i < b.readUInt16LE(56); i++) {
    const ph = phoff + i * b.readUInt16LE(54);
    if (b.readUInt32LE(ph) !== 1 || !(b.readUInt32LE(ph + 4) & 1)) continue; // PT_LOAD with PF_X
    const end = Number(b.readBigUInt64LE(ph + 8) + b.readBigUInt64LE(ph + 32));
    const at = (end + 15) & ~15;
    if (at + exit.length > ((end + 4095) & ~4095) || b.subarray(at, at + exit.length).some((x) => x !== 0))
      throw new Error(`${ldso}: no room for the exit stub after its executable segment`);
    exit.copy(b, at);
    b.writeBigUInt64LE(BigInt(at - Number(b.readBigUInt64LE(ph + 8)) + Number(b.readBigUInt64LE(ph + 16))), 24);
    return b;
  }
  throw new Error(`${ldso}: no executable segment`);
}

const variants = [
  ['direct', prog],
  ['ld.so PROG', ldso, prog],
  ['loader command', loader, '--', prog],
  // Without F the kernel opens the interpreter by its path on every exec.
  ['binfmt P -> loader', `${out}/p/true.bfp`],
  ['binfmt PF -> loader', `${out}/pf/true.bff`],
  ['binfmt POF -> loader', `${out}/pof/true.bfo`],
  // As after a PATH lookup: argv[0] is not the path, so --argv0 goes to ld.so
  // and the loader checks that this ld.so takes it.
  ['binfmt POF -> loader, argv[0] != path', '-a', 'true', `${out}/pof/true.bfo`],
];
variants.push(
  ['binfmt P -> loader without self re-exec', `${out}/p/true.bfpn`],
  ['binfmt POF -> loader without self re-exec', `${out}/pof/true.bfon`],
  // Both stop once ld.so is mapped: the kernel's work for a direct exec up to
  // there, and the loader's (exec, read the program's head, open, read and
  // map ld.so: everything but handing over).
  ['exit once ld.so is mapped: by the kernel', join(out, 'ldso-exit')],
  ['exit once ld.so is mapped: by the loader', exitMapped, '--', prog],
);
if (baseline)
  variants.push(['binfmt P -> baseline', `${out}/p/true.bfpb`], ['binfmt POF -> baseline', `${out}/pof/true.bfob`]);
const setup = [
  'set -e',
  `mkdir -p ${out}/p ${out}/pf ${out}/pof; ln -sf ${prog} ${out}/p/true.bfp; ln -sf ${prog} ${out}/pof/true.bfo`,
  `ln -sf ${prog} ${out}/pf/true.bff`,
  `echo ':bench-p:E::bfp::${loader}:P' > /proc/sys/fs/binfmt_misc/register`,
  `echo ':bench-pf:E::bff::${loader}:PF' > /proc/sys/fs/binfmt_misc/register`,
  `echo ':bench-pof:E::bfo::${loader}:POF' > /proc/sys/fs/binfmt_misc/register`,
  `ln -sf ${prog} ${out}/p/true.bfpn; ln -sf ${prog} ${out}/pof/true.bfon`,
  `echo ':bench-pn:E::bfpn::${noSelfexec}:P' > /proc/sys/fs/binfmt_misc/register`,
  `echo ':bench-pofn:E::bfon::${noSelfexec}:POF' > /proc/sys/fs/binfmt_misc/register`,
];
if (baseline) {
  setup.push(
    `ln -sf ${prog} ${out}/p/true.bfpb; ln -sf ${prog} ${out}/pof/true.bfob`,
    `echo ':bench-pb:E::bfpb::${baseline}:P' > /proc/sys/fs/binfmt_misc/register`,
    `echo ':bench-pofb:E::bfob::${baseline}:POF' > /proc/sys/fs/binfmt_misc/register`,
  );
}
const q = (s) => `'${s}'`;
const timing = `${timer} ${rounds} ${warm} ${variants.map(([n, ...a]) => [q(n), ...a].join(' ')).join(' :: ')}`;
// With -a ARGV0, bash's exec -a sets argv[0]; count from the program's execve on.
const traced = (a) => (a[0] === '-a' ? `bash -c 'exec -a ${a[1]} ${a.slice(2).join(' ')}'` : a.join(' '));
const skipBash = (a) => (a[0] === '-a' ? `| awk '/execve\\(/ { n++ } n >= 2'` : '');
const counts = variants.map(
  ([n, ...a]) => `echo "${n}\t$(strace -f -qq -o /dev/stdout ${traced(a)} ${skipBash(a)} | grep -vc '^[0-9]* *+++')"`,
);
const script = [...setup, `echo "TIMES $(${timing})"`, ...counts].join('\n');
const r = spawnSync('node', [join(root, 'dist', 'cli', 'bin.js'), 'sandbox', '--', 'bash', '-c', script], {
  encoding: 'utf8',
});
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const times = JSON.parse(
  r.stdout
    .split('\n')
    .find((l) => l.startsWith('TIMES '))
    .slice(6),
);
const calls = Object.fromEntries(
  r.stdout
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t')),
);
const base = times.direct.median;
console.log(
  `${rounds} interleaved runs each after ${warm} warm-up rounds (${new Date().toISOString()}, ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()})`,
);
const cpuBase = times.direct.cpu;
const columns = ['median µs', 'mean µs', 'min µs', 'ratio to direct (median)', 'CPU µs (median)', 'CPU ratio'];
console.log(`| variant | ${columns.join(' | ')} | syscalls | page faults |`);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [name] of variants) {
  const t = times[name];
  const ratios = [(t.median / base).toFixed(3), t.cpu.toFixed(1), (t.cpu / cpuBase).toFixed(3)];
  const row = [t.median.toFixed(1), t.mean.toFixed(1), t.min.toFixed(1), ...ratios];
  console.log(`| ${name} | ${row.join(' | ')} | ${calls[name]} | ${t.faults.toFixed(2)} |`);
}
const floor = ['exit once ld.so is mapped: by the loader', 'exit once ld.so is mapped: by the kernel'];
const share = times[floor[0]].median - times[floor[1]].median;
console.log(
  `up to a mapped ld.so the loader takes ${share.toFixed(1)} µs more than the kernel does for a direct exec ` +
    `(${((100 * share) / base).toFixed(1)} % of a direct exec); the whole loader: ` +
    `${(times['loader command'].median - times['ld.so PROG'].median).toFixed(1)} µs more than \`ld.so PROG\``,
);
const cost = (a, b, k) => (times[a][k] / times[b][k]).toFixed(3);
for (const k of ['median', 'cpu']) {
  const what = k === 'cpu' ? 'CPU time' : 'median latency';
  console.log(
    `self re-execution (BINFMT_LOADER_EXE) per exec, ${what}, ratio to the loader without it: ` +
      `P ${cost('binfmt P -> loader', 'binfmt P -> loader without self re-exec', k)}, ` +
      `POF ${cost('binfmt POF -> loader', 'binfmt POF -> loader without self re-exec', k)}`,
  );
}

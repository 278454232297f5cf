// binfmt emulate's costs, measured side by side in one run. A benchmark, not a test.
// 1. A static aarch64 program run through the qemu-aarch64 entry binfmt emulate
//    registered, versus `qemu-aarch64-static PROG` started directly, interleaved,
//    in a sandbox (a private binfmt_misc). Target: at most 1.03x.
// 2. `binfmt emulate --podman aarch64` when it is already registered versus
//    `podman unshare true`, as the test user binfmt-test with a podman runtime
//    directory and store of the benchmark's own (so the user namespace other
//    tests share is not touched; its pause process is ended at the end).
//    Target: at most 1.5x. Each round runs podman, emulate and `node -e 0` (the
//    floor of any binfmt command) back to back, first in turn, so that a change
//    of the machine's load weighs on all alike; the verdict is the ratio of the
//    medians, and the median of the rounds' own ratios is shown beside it.
//    BINFMT_BEFORE=DIR (the root of another build: its package.json, dist/cli,
//    build/Release and binfmt/) adds that build's emulate to each round.
// Needs aarch64-linux-gnu-gcc and the unpacked qemu-user-static
// (scripts/install-deps.sh); part 2 needs root (to switch to the test user).
// BENCH_RUNS (part 1, default 60) and BENCH_PODMAN_RUNS (part 2's rounds, default 40).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const PODMAN_RUNS = Number(process.env.BENCH_PODMAN_RUNS ?? 40);
const PODMAN_TARGET = 1.5;
const USER = 'binfmt-test';
const QEMU_DIR = join(root, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin');
const cli = join(root, 'dist', 'cli', 'binfmt.cjs');
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

// Runs inside the sandbox: registers the entry, then times both ways interleaved.
const INNER = `
const { spawnSync } = require('child_process');
const [cli, qemuDir, prog, runs] = process.argv.slice(2);
const reg = spawnSync(process.execPath, [cli, 'emulate', 'aarch64', '--emulator-dir', qemuDir], { encoding: 'utf8' });
if (reg.status !== 0) throw new Error(reg.stderr);
const time = (argv) => { const s = process.hrtime.bigint(); const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(argv.join(' ') + ': ' + (r.error || r.status)); return Number(process.hrtime.bigint() - s) / 1e6; };
const t = { entry: [], direct: [] };
for (let r = 0; r < Number(runs); r++)
  for (const k of r % 2 ? ['entry', 'direct'] : ['direct', 'entry'])
    t[k].push(time(k === 'entry' ? [prog] : [qemuDir + '/qemu-aarch64-static', prog]));
console.log(JSON.stringify(t));
`;

const dir = mkdtempSync(join(tmpdir(), 'binfmt-bench-emulate-'));
chmodSync(dir, 0o755);
try {
  // 1. through the entry versus qemu started directly
  const src = join(dir, 'sum.c');
  writeFileSync(
    src,
    '#include <stdio.h>\nint main(void) { unsigned long s = 0; for (unsigned long i = 0; i < 2000000; i++) s += i ^ (s >> 3); printf("%lu\\n", s); return 0; }\n',
  );
  const prog = join(dir, 'sum-aarch64');
  execFileSync('aarch64-linux-gnu-gcc', ['-static', '-O2', '-o', prog, src]);
  const inner = join(dir, 'inner.cjs');
  writeFileSync(inner, INNER);
  const r = spawnSync(
    process.execPath,
    [cli, 'sandbox', '--', process.execPath, inner, cli, QEMU_DIR, prog, String(RUNS)],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const t = JSON.parse(r.stdout);
  console.log(`a static aarch64 program (a 2M-iteration loop), ${RUNS} runs each, interleaved, in a sandbox:`);
  console.log(`  qemu-aarch64-static PROG      median ${med(t.direct).toFixed(1)} ms`);
  console.log(
    `  PROG through qemu-aarch64     median ${med(t.entry).toFixed(1)} ms  (${(med(t.entry) / med(t.direct)).toFixed(3)}x)`,
  );

  // 2. emulate --podman, already registered, versus podman unshare true
  const as = (script) => spawnSync('runuser', ['-l', USER, '-c', script], { encoding: 'utf8' });
  const missing = [
    [process.getuid() === 0, 'needs root to switch to the test user'],
    [() => spawnSync('id', [USER]).status === 0, `no user ${USER}`],
    [() => spawnSync('podman', ['--version']).status === 0, 'no podman'],
  ].find(([ok]) => !(typeof ok === 'function' ? ok() : ok));
  const why = missing ? missing[1] : null;
  if (why) {
    console.log(`emulate --podman: skipped (${why})`);
  } else {
    const builds = { emulate: root };
    if (process.env.BINFMT_BEFORE) builds.before = process.env.BINFMT_BEFORE;
    for (const [k, from] of Object.entries(builds))
      for (const p of ['package.json', 'dist/cli', 'build/Release/binfmt_native.node', 'binfmt'])
        cpSync(join(from, p), join(dir, k, p), { recursive: true, preserveTimestamps: true });
    mkdirSync(join(dir, 'qemu'));
    cpSync(join(QEMU_DIR, 'qemu-aarch64-static'), join(dir, 'qemu', 'qemu-aarch64-static'));
    writeFileSync(
      join(dir, 'storage.conf'),
      `[storage]\ndriver = "overlay"\nrunroot = "${dir}/runroot"\nrootless_storage_path = "${dir}/storage"\n`,
    );
    const argvs = { podman: ['podman', 'unshare', 'true'], node: [process.execPath, '-e', '0'] };
    for (const k of Object.keys(builds))
      argvs[k] = [
        process.execPath,
        `${dir}/${k}/dist/cli/binfmt.cjs`,
        ...['emulate', '--podman', 'aarch64', '--emulator-dir', `${dir}/qemu`],
      ];
    // Runs as the test user: registers once, then times each command in each round, in-process (no shell between).
    writeFileSync(
      join(dir, 'rounds.cjs'),
      `const { spawnSync } = require('node:child_process');
const argvs = ${JSON.stringify(argvs)}, names = Object.keys(argvs);
const run = (argv) => { const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(argv.join(' ') + ': ' + (r.error || r.stderr)); return r; };
for (const k of names) if (k !== 'podman' && k !== 'node') run(argvs[k]); // registers (and starts the pause process)
const t = Object.fromEntries(names.map((k) => [k, []]));
for (let r = 0; r < ${PODMAN_RUNS}; r++)
  for (let i = 0; i < names.length; i++) {
    const k = names[(i + r) % names.length];
    const s = process.hrtime.bigint(); run(argvs[k]); t[k].push(Number(process.hrtime.bigint() - s) / 1e6);
  }
const again = run(argvs.emulate).stdout;
if (!/already registered/.test(again)) throw new Error('emulate did not find its entry registered: ' + again);
console.log(JSON.stringify(t));
`,
    );
    execFileSync('chown', ['-R', `${USER}:${USER}`, dir]);
    const env = `export XDG_RUNTIME_DIR=${dir}/xdg CONTAINERS_STORAGE_CONF=${dir}/storage.conf; mkdir -p -m 700 $XDG_RUNTIME_DIR`;
    const out = as(`${env}; exec ${process.execPath} ${dir}/rounds.cjs`);
    if (out.status !== 0) throw new Error(out.stderr || out.stdout);
    const t = JSON.parse(out.stdout);
    const podman = med(t.podman);
    const row = (label, k) =>
      `  ${label.padEnd(50)} median ${med(t[k]).toFixed(1).padStart(6)} ms  ${(med(t[k]) / podman).toFixed(2)}x podman`;
    console.log(
      `as ${USER}, ${PODMAN_RUNS} rounds, each running every command once (first in turn), the entry already registered:`,
    );
    console.log(row('podman unshare true', 'podman'));
    for (const k of Object.keys(builds)) {
      const ratio = med(t[k]) / podman;
      const rounds = t[k].map((ms, r) => ms / t.podman[r]);
      console.log(
        `${row(`binfmt emulate --podman aarch64${k === 'before' ? ' (BINFMT_BEFORE)' : ''}`, k)}` +
          `  target <= ${PODMAN_TARGET.toFixed(2)}x: ${ratio <= PODMAN_TARGET ? 'OK' : 'OVER'}` +
          ` (median of the rounds' ratios ${med(rounds).toFixed(2)}x)`,
      );
    }
    console.log(row('node -e 0 (the floor of any binfmt command)', 'node'));
    const pidFile = join(dir, 'xdg', 'libpod', 'tmp', 'pause.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')));
      } catch {
        /* already gone */
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// The cost of the three uses' exec paths, measured side by side in one
// private sandbox, interleaved (a benchmark, not a test):
//   host side:  a program run directly  vs  the same file marked, through the
//               host-runtime entry (binfmt_misc -> loader -> its own ld.so)
//   container:  `chroot R /run/host/.../ld.so --library-path ... prog` (the
//               hand-made way) vs the marked program through the entry
//   SLUL:       `ld.so x.slulb` vs `./x.slulb` through the slulb entry
// Medians over BENCH_RUNS runs (default 500) each; ratios against the first.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxArgv } from '../dist/kernel/sandbox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const cli = join(root, 'dist', 'cli', 'binfmt.cjs');
const rootfs = execFileSync('bash', [join(root, 'scripts', 'make-rootfs.sh'), 'bullseye'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).trim();

const work = mkdtempSync(join(tmpdir(), 'binfmt-bench-'));
chmodSync(work, 0o755);
writeFileSync(join(work, 'p.c'), 'int main(void) { return 0; }\n');
execFileSync('gcc', ['-O2', '-o', join(work, 'plain'), join(work, 'p.c')]);
execFileSync('gcc', [
  '-O2',
  '-fPIE',
  '-pie',
  '-Wl,--no-dynamic-linker',
  '-o',
  join(work, 'x.slulb'),
  join(work, 'p.c'),
]);
copyFileSync(join(work, 'plain'), join(work, 'marked'));
execFileSync(process.execPath, [cli, 'mark', join(work, 'marked')]);
const opt = mkdtempSync(join(rootfs, 'opt', 'bench-'));
copyFileSync(join(work, 'marked'), join(opt, 'marked'));
copyFileSync(join(work, 'plain'), join(opt, 'plain'));
const inOpt = `/opt/${opt.split('/').pop()}`;
const loaders = join(work, 'loaders');
mkdirSync(loaders, { mode: 0o755 });

const LD = '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2';
const groups = {
  'host side': {
    'direct exec': [join(work, 'plain')],
    'marked, host-runtime entry': [join(work, 'marked')],
  },
  container: {
    'chroot + /run/host ld.so by hand': [
      'chroot',
      rootfs,
      `/run/host${LD}`,
      '--library-path',
      '/run/host/usr/lib/x86_64-linux-gnu',
      `${inOpt}/plain`,
    ],
    'chroot + marked, host-runtime entry': ['chroot', rootfs, `${inOpt}/marked`],
  },
  SLUL: {
    'ld.so x.slulb': [LD, join(work, 'x.slulb')],
    'x.slulb, slulb entry': [join(work, 'x.slulb')],
  },
};

const inner = `
const { execFileSync, spawnSync } = require('node:child_process');
const run = (a) => execFileSync(process.execPath, [${JSON.stringify(cli)}, ...a], { stdio: 'ignore' });
run(['register', 'host-runtime', '--loader-dir', ${JSON.stringify(loaders)}]);
run(['register', 'slulb', '--loader-dir', ${JSON.stringify(loaders)}]);
execFileSync('mount', ['--rbind', '/', ${JSON.stringify(join(rootfs, 'run', 'host'))}]);
execFileSync('mount', ['--rbind', '/proc', ${JSON.stringify(join(rootfs, 'proc'))}]);
const groups = ${JSON.stringify(groups)};
const out = {};
for (const [g, cmds] of Object.entries(groups)) {
  const names = Object.keys(cmds);
  const t = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) { const r = spawnSync(cmds[n][0], cmds[n].slice(1)); if (r.status !== 0) throw new Error(n + ': ' + r.stderr); }
  for (let r = 0; r < ${RUNS}; r++) for (const n of (r % 2 ? names : [...names].reverse())) {
    const s = process.hrtime.bigint();
    spawnSync(cmds[n][0], cmds[n].slice(1), { stdio: 'ignore' });
    t[n].push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const med = (a) => { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]; };
  out[g] = names.map((n) => [n, med(t[n])]);
}
console.log(JSON.stringify(out));
`;
try {
  const [bin, ...args] = sandboxArgv([process.execPath, '-e', inner]);
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const res = JSON.parse(r.stdout);
  console.log(`exec paths of the three uses, ${RUNS} interleaved runs each, medians (ms, including spawn):`);
  for (const [g, rows] of Object.entries(res)) {
    const base = rows[0][1];
    console.log(`  ${g}:`);
    for (const [n, ms] of rows)
      console.log(`    ${n.padEnd(38)} ${ms.toFixed(2).padStart(7)} ms  ${(ms / base).toFixed(2)}x`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(opt, { recursive: true, force: true });
}

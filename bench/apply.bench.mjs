// binfmt apply versus systemd-binfmt on the same binfmt.d tree (100 entries),
// interleaved in one private sandbox: registering everything into an empty
// instance, and changing one entry (binfmt: make-before-break, 4 kernel
// operations; systemd-binfmt FILE: delete-then-add). Also the no-op apply.
// A benchmark, not a test: no target, ratios measured side by side.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxArgv } from '../dist/kernel/sandbox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ENTRIES = 100;
const SYSTEMD_BINFMT = '/lib/systemd/systemd-binfmt';

const tree = mkdtempSync(join(tmpdir(), 'bench-binfmtd-'));
mkdirSync(join(tree, 'etc/binfmt.d'), { recursive: true });
const lines = (variant) =>
  Array.from(
    { length: ENTRIES },
    (_, i) => `:bench${i}:M:${i % 8}:\\x${(i + 16).toString(16)}BENCH::/bin/${i === 0 ? variant : 'true'}:P`,
  ).join('\n') + '\n';
writeFileSync(join(tree, 'etc/binfmt.d/bench.conf'), lines('true'));

const inner = `
const { execFileSync } = require('node:child_process');
const { writeFileSync, mkdtempSync } = require('node:fs');
const M = '/proc/sys/fs/binfmt_misc';
const cli = ${JSON.stringify(join(root, 'dist', 'cli', 'binfmt.cjs'))};
const conf = ${JSON.stringify(join(tree, 'etc/binfmt.d/bench.conf'))};
const one = ${JSON.stringify(lines('true'))}, two = ${JSON.stringify(lines('echo'))};
const time = (f) => { const s = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - s) / 1e6; };
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
const state = () => mkdtempSync('/tmp/bench-state-');
const count = () => require('node:fs').readdirSync(M).length - 2;
const t = { sdFull: [], bfFull: [], bfNoop: [], sdChange: [], bfChange: [] };
for (let r = 0; r < ${RUNS}; r++) {
  // full registration into an empty instance
  for (const k of r % 2 ? ['sd', 'bf'] : ['bf', 'sd']) {
    writeFileSync(M + '/status', '-1');
    writeFileSync(conf, one);
    if (k === 'sd') t.sdFull.push(time(() => { try { run(${JSON.stringify(SYSTEMD_BINFMT)}, []); } catch {} }));
    else { const s = state(); t.bfFull.push(time(() => run(process.execPath, [cli, 'apply', '--config-root', ${JSON.stringify(tree)}, '--state-dir', s])));
      if (count() !== ${ENTRIES}) throw new Error('binfmt apply registered ' + count());
      t.bfNoop.push(time(() => run(process.execPath, [cli, 'apply', '--config-root', ${JSON.stringify(tree)}, '--state-dir', s]))); }
  }
  // change one entry (bench0's interpreter), starting from the applied tree
  for (const k of r % 2 ? ['sd', 'bf'] : ['bf', 'sd']) {
    writeFileSync(M + '/status', '-1');
    writeFileSync(conf, one);
    const s = state();
    run(process.execPath, [cli, 'apply', '--config-root', ${JSON.stringify(tree)}, '--state-dir', s]);
    writeFileSync(conf, two);
    if (k === 'sd') t.sdChange.push(time(() => run(${JSON.stringify(SYSTEMD_BINFMT)}, ['/etc/binfmt.d/bench.conf'])));
    else t.bfChange.push(time(() => run(process.execPath, [cli, 'apply', '--config-root', ${JSON.stringify(tree)}, '--state-dir', s])));
  }
}
const med = (a) => { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]; };
const out = {}; for (const [k, v] of Object.entries(t)) out[k] = med(v);
const nodeMs = med(Array.from({ length: ${RUNS} }, () => time(() => run(process.execPath, ['-e', '0']))));
console.log(JSON.stringify({ ...out, nodeMs }));
`;
const setup = `mount --bind ${tree}/etc/binfmt.d /etc/binfmt.d && for d in /run /usr/local/lib; do mount -t tmpfs tmpfs $d && mkdir -p $d/binfmt.d; done && mount -t tmpfs tmpfs /usr/lib/binfmt.d && exec "$@"`;
const [bin, ...args] = sandboxArgv(['sh', '-c', setup, 'sh', process.execPath, '-e', inner]);
const r = spawnSync(bin, args, { encoding: 'utf8' });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const m = JSON.parse(r.stdout);
const row = (label, ms) => console.log(`  ${label.padEnd(46)} median ${ms.toFixed(1).padStart(7)} ms`);
console.log(`binfmt apply vs systemd-binfmt, ${ENTRIES} entries, ${RUNS} runs each, interleaved:`);
row('node -e 0 (process start, for scale)', m.nodeMs);
row('systemd-binfmt (flush + register all)', m.sdFull);
row('binfmt apply (register all)', m.bfFull);
row('binfmt apply (nothing to do)', m.bfNoop);
row('systemd-binfmt FILE (change 1: delete-then-add)', m.sdChange);
row('binfmt apply (change 1: make-before-break)', m.bfChange);
console.log(
  `  ratio register all: ${(m.bfFull / m.sdFull).toFixed(2)}x; change one: ${(m.bfChange / m.sdChange).toFixed(2)}x; binfmt minus node start: ${(m.bfFull - m.nodeMs).toFixed(1)} ms`,
);

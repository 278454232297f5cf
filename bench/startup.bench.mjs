// Start-up cost of the CLI, measured side by side with a bare `node -e 0` in
// one private sandbox, runs interleaved (targets: list <= 1.3x, apply <= 1.5x):
// - `binfmt --version` (commander and the command table, no command);
// - `binfmt list --json` with 40 entries registered;
// - `binfmt apply` of a 31-entry binfmt.d tree (as many as qemu-user-static
//   and two more), registering all of them into an empty instance each run,
//   with the state directory on tmpfs like the default /run/binfmt;
// - the same apply when there is nothing to do.
// BINFMT_CLI=path measures another build of the CLI; BINFMT_CLI_BEFORE=path adds
// one more (e.g. an older build), interleaved with the same runs.
// A benchmark, not a test: ratios of medians, no timing assertion.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxArgv } from '../dist/kernel/sandbox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = resolve(process.env.BINFMT_CLI ?? join(root, 'dist', 'cli', 'binfmt.cjs'));
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const LIST_ENTRIES = 40;
const TREE_ENTRIES = 31;

const tree = mkdtempSync(join(tmpdir(), 'bench-startup-'));
mkdirSync(join(tree, 'etc/binfmt.d'), { recursive: true });
for (let i = 0; i < TREE_ENTRIES; i++) {
  const magic = `\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x${(0x80 + i).toString(16)}`;
  writeFileSync(
    join(tree, 'etc/binfmt.d', `qemu-${String(i).padStart(2, '0')}.conf`),
    `:qemu-${i}:M::${magic}::/bin/true:${i % 2 ? 'OCF' : 'P'}\n`,
  );
}

const clis = { binfmt: cli };
if (process.env.BINFMT_CLI_BEFORE) clis.before = resolve(process.env.BINFMT_CLI_BEFORE);

const inner = `
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readdirSync, writeFileSync } = require('node:fs');
const M = '/proc/sys/fs/binfmt_misc';
const clis = ${JSON.stringify(clis)}, tree = ${JSON.stringify(tree)};
const time = (args) => { const s = process.hrtime.bigint(); execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }); return Number(process.hrtime.bigint() - s) / 1e6; };
const med = (a) => { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]; };
const entries = () => readdirSync(M).length - 2;
const names = ['node', ...Object.keys(clis)];
const order = (r) => names.map((_, i) => names[(i + r) % names.length]); // each one first in turn
const t = {};
for (const k of names) t[k] = { list: [], version: [], node: [], apply: [], noop: [] };

for (let i = 0; i < ${LIST_ENTRIES}; i++) writeFileSync(M + '/register', ':bench' + i + ':M:' + (i % 8) + ':\\\\x' + (i + 16).toString(16) + 'BENCH::/bin/true:P');
const listed = JSON.parse(execFileSync(process.execPath, [clis.binfmt, 'list', '--json'])).length;
for (let r = 0; r < ${RUNS}; r++) for (const k of order(r)) t[k].list.push(time(k === 'node' ? ['-e', '0'] : [clis[k], 'list', '--json']));
for (let r = 0; r < ${RUNS}; r++) for (const k of order(r)) t[k].version.push(time(k === 'node' ? ['-e', '0'] : [clis[k], '--version']));

for (let r = 0; r < ${RUNS}; r++) {
  for (const k of order(r)) {
    if (k === 'node') { t.node.apply.push(time(['-e', '0'])); continue; }
    writeFileSync(M + '/status', '-1');
    const state = mkdtempSync('/run/bench-state-');
    t[k].apply.push(time([clis[k], 'apply', '--config-root', tree, '--state-dir', state]));
    if (entries() !== ${TREE_ENTRIES}) throw new Error(k + ': apply registered ' + entries());
    t[k].noop.push(time([clis[k], 'apply', '--config-root', tree, '--state-dir', state]));
  }
}
const out = { listed };
for (const k of names) out[k] = Object.fromEntries(Object.entries(t[k]).map(([m, v]) => [m, v.length ? med(v) : null]));
console.log(JSON.stringify(out));
`;
// The state directory on tmpfs, as the default /run/binfmt is (mounted in the sandbox's own mount namespace).
const [bin, ...args] = sandboxArgv([
  'sh',
  '-c',
  'mount -t tmpfs tmpfs /run && exec "$@"',
  'sh',
  process.execPath,
  '-e',
  inner,
]);
const r = spawnSync(bin, args, { encoding: 'utf8' });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const m = JSON.parse(r.stdout);
const row = (label, ms, base, target) => {
  const ratio = base ? ` ${(ms / base).toFixed(2)}x` : '';
  const verdict = target ? ` (target <= ${target.toFixed(2)}x) ${ms / base <= target ? 'OK' : 'OVER'}` : '';
  console.log(`  ${label.padEnd(52)} median ${ms.toFixed(1).padStart(6)} ms${ratio}${verdict}`);
};
console.log(`start-up, ${RUNS} runs each, interleaved with node -e 0 in one sandbox:`);
row('node -e 0 (interleaved with list)', m.node.list);
row('node -e 0 (interleaved with --version)', m.node.version);
row('node -e 0 (interleaved with apply)', m.node.apply);
for (const [k, path] of Object.entries(clis)) {
  console.log(`  ${k}: ${path}`);
  row('  --version', m[k].version, m.node.version);
  row(`  list --json (${m.listed} entries)`, m[k].list, m.node.list, 1.3);
  row(`  apply (${TREE_ENTRIES} entries into an empty instance)`, m[k].apply, m.node.apply, 1.5);
  row('  apply (nothing to do)', m[k].noop, m.node.apply);
}

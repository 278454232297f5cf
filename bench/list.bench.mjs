// `binfmt list --json` with 40 entries versus a bare `node -e 0`, interleaved
// in one private sandbox (target: at most 1.5x). A benchmark, not a test.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxArgv } from '../dist/kernel/sandbox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const inner = `
const { execFileSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
for (let i = 0; i < 40; i++) writeFileSync('/proc/sys/fs/binfmt_misc/register', ':bench' + i + ':M:' + (i % 8) + ':\\\\x' + (i + 16).toString(16) + 'BENCH::/bin/true:P');
const cli = ${JSON.stringify(join(root, 'dist', 'cli', 'binfmt.cjs'))};
const cmds = { node: ['-e', '0'], list: [cli, 'list', '--json'] };
const t = { node: [], list: [] };
for (let r = 0; r < ${RUNS}; r++) for (const k of r % 2 ? ['node', 'list'] : ['list', 'node']) {
  const s = process.hrtime.bigint();
  execFileSync(process.execPath, cmds[k], { stdio: ['ignore', 'pipe', 'inherit'] });
  t[k].push(Number(process.hrtime.bigint() - s) / 1e6);
}
const med = (a) => { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]; };
const n = JSON.parse(execFileSync(process.execPath, cmds.list)).length;
console.log(JSON.stringify({ entries: n, runs: ${RUNS}, nodeMs: med(t.node), listMs: med(t.list), ratio: med(t.list) / med(t.node) }));
`;
const [bin, ...args] = sandboxArgv([process.execPath, '-e', inner]);
const r = spawnSync(bin, args, { encoding: 'utf8' });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const res = JSON.parse(r.stdout);
console.log(`binfmt list --json, ${res.entries} entries, ${res.runs} runs each, interleaved:`);
console.log(`  node -e 0          median ${res.nodeMs.toFixed(1)} ms`);
console.log(`  binfmt list --json median ${res.listMs.toFixed(1)} ms`);
console.log(`  ratio ${res.ratio.toFixed(2)}x (target <= 1.50x) ${res.ratio <= 1.5 ? 'OK' : 'OVER'}`);

// The OCI hook's cost, measured side by side in one run. A benchmark, not a test.
// 1. `binfmt oci-hook run` on a container it does not match (it reads the state
//    and config.json and decides) versus a bare `node -e 0`.
// 2. A rootless podman container start (`run --rm … /bin/true`, as the test user
//    binfmt-test) with the hook registering host-runtime versus without hooks,
//    interleaved. Needs root (to switch to that user), the user, and the test
//    image the container tests import; skipped with the reason otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const PODMAN_RUNS = Number(process.env.BENCH_PODMAN_RUNS ?? 8);
const USER = 'binfmt-test';
const IMAGE = 'localhost/binfmt-bullseye:test';
// As test/helpers/podman.ts runs it: runc, cgroupfs, the tests' own overlay store.
const PODMAN =
  'podman --runtime runc --cgroup-manager cgroupfs --storage-driver overlay --log-level error ' +
  '--root "$HOME/.local/share/binfmt-tests/storage" --runroot "/tmp/binfmt-tests-podman-$(id -u)"';
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const time = (f) => {
  const s = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - s) / 1e6;
};

const dir = mkdtempSync(join(tmpdir(), 'binfmt-bench-hook-'));
chmodSync(dir, 0o755);
try {
  // 1. the decision alone
  const cli = join(root, 'dist', 'cli', 'binfmt.cjs');
  const config = { root: { path: 'rootfs' }, process: { args: ['toolbox', 'list'] }, mounts: [] };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const state = JSON.stringify({ ociVersion: '1.0.2', id: 'bench', status: 'creating', pid: process.pid, bundle: dir });
  const t = { node: [], hook: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const k of r % 2 ? ['node', 'hook'] : ['hook', 'node']) {
      const argv = k === 'node' ? ['-e', '0'] : [cli, 'oci-hook', 'run', '--loader-dir', dir];
      t[k].push(time(() => spawnSync(process.execPath, argv, { input: state, stdio: ['pipe', 'ignore', 'ignore'] })));
    }
  }
  console.log(`oci-hook run on a container it does not match, ${RUNS} runs each, interleaved:`);
  console.log(`  node -e 0        median ${med(t.node).toFixed(1)} ms`);
  const ratio = (med(t.hook) / med(t.node)).toFixed(2);
  console.log(`  oci-hook run     median ${med(t.hook).toFixed(1)} ms  (${ratio}x node)`);

  // 2. a whole container start, as the test user
  const as = (script) => spawnSync('runuser', ['-l', USER, '-c', script], { encoding: 'utf8' });
  const why =
    process.getuid() !== 0
      ? 'needs root to switch to the test user'
      : spawnSync('id', [USER]).status !== 0
        ? `no user ${USER}`
        : as(`${PODMAN} image exists ${IMAGE}`).status !== 0
          ? `no image ${IMAGE} (run the container tests once)`
          : null;
  if (why) {
    console.log(`podman container start: skipped (${why})`);
  } else {
    const files = [
      'package.json',
      'dist/cli/binfmt.cjs',
      'build/Release/binfmt_native.node',
      'build/Release/binfmt-loader',
      'binfmt',
    ];
    for (const p of files) {
      cpSync(join(root, p), join(dir, 'pkg', p), { recursive: true });
    }
    mkdirSync(join(dir, 'nohooks'));
    execFileSync('chown', ['-R', `${USER}:${USER}`, dir]);
    const cli = `${process.execPath} ${dir}/pkg/dist/cli/binfmt.cjs`;
    const install = as(`${cli} oci-hook install --hooks-dir ${dir}/hooks --loader-dir ${dir}/loaders`);
    if (install.status !== 0) throw new Error(install.stderr);
    const opts = '--rm --userns keep-id --network none -v /:/run/host:rslave --annotation run.binfmt.host-runtime=true';
    const run = (hooks) => `${PODMAN} --hooks-dir ${dir}/${hooks} run ${opts} ${IMAGE} /bin/true`;
    const p = { plain: [], hook: [] };
    for (let r = 0; r < PODMAN_RUNS; r++) {
      for (const k of r % 2 ? ['plain', 'hook'] : ['hook', 'plain']) {
        p[k].push(
          time(() => {
            const x = as(run(k === 'hook' ? 'hooks' : 'nohooks'));
            if (x.status !== 0) throw new Error(x.stderr);
          }),
        );
      }
    }
    console.log(`podman run --rm … /bin/true as ${USER}, ${PODMAN_RUNS} runs each, interleaved:`);
    console.log(`  without hooks    median ${med(p.plain).toFixed(0)} ms`);
    const [h, n] = [med(p.hook), med(p.plain)];
    console.log(`  with the hook    median ${h.toFixed(0)} ms  (+${(h - n).toFixed(0)} ms, ${(h / n).toFixed(2)}x)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

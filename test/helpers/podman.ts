/**
 * Rootless podman for the container tests: always as the ordinary test user
 * (scripts/install-deps.sh creates it with subordinate ids), never as root,
 * so that containers get a user namespace like Toolbx's; with runc and
 * cgroupfs (crun, podman's default runtime, refuses hybrid cgroup
 * hierarchies). The test image is the bullseye root of scripts/make-rootfs.sh
 * plus /etc/passwd and /etc/group, imported by the test user.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canSandbox, MOUNT, ROOT, type Run } from './sandbox.js';
import { TEST_USER } from './test-user.js';
import { fileTempDir } from './tmp.js';

export { TEST_USER };
export const IMAGE = 'localhost/binfmt-bullseye:test';
/** Bumped when the image's content changes: an older import is replaced. */
const IMAGE_VERSION = '2';
/**
 * The podman command line every test uses (a string for the test user's shell).
 * Storage: the kernel's own overlayfs (rootless since Linux 5.13), in a store
 * of the tests' own, because podman's rootless default without
 * fuse-overlayfs is vfs, which copies the whole image for every container.
 */
const STORE = '"$HOME/.local/share/binfmt-tests/storage"';
const RUNROOT = '"/tmp/binfmt-tests-podman-$(id -u)"';
export const PODMAN = `podman --runtime runc --cgroup-manager cgroupfs --storage-driver overlay --root ${STORE} --runroot ${RUNROOT}`;

/**
 * Shell lines that let the real toolbox (which runs plain `podman`) use the
 * same podman set-up, with the hooks in `hooksDir` (podman's default hooks
 * directories without it): containers.conf and
 * storage.conf of the test's own (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF;
 * rootless podman takes its store from rootless_storage_path, not graphroot),
 * a runtime directory (XDG_RUNTIME_DIR: no login session here) and a stand-in
 * for the D-Bus system socket, which `toolbox create` bind-mounts (no D-Bus
 * daemon runs here).
 */
export function toolbxEnv(dir: string, hooksDir?: string): string {
  const hooks = hooksDir ? `hooks_dir = ["${hooksDir}"]\\n` : '';
  return `
    export XDG_RUNTIME_DIR=${dir}/xdg DBUS_SYSTEM_BUS_ADDRESS=unix:path=${dir}/no-bus
    export CONTAINERS_CONF=${dir}/containers.conf CONTAINERS_STORAGE_CONF=${dir}/storage.conf
    mkdir -p -m 700 $XDG_RUNTIME_DIR && : > ${dir}/no-bus
    printf '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n${hooks}' > $CONTAINERS_CONF
    printf '[storage]\ndriver = "overlay"\nrunroot = "%s"\nrootless_storage_path = "%s"\n' ${RUNROOT} ${STORE} > $CONTAINERS_STORAGE_CONF`;
}
/** Podman's warning on hosts whose / is not a shared mount: noise for these tests. */
const NOISE = /^.*level=warning msg="\\"\/\\" is not a shared mount.*\n/gm;

/** Runs a bash script as the test user in a login shell (its own HOME and podman storage). */
export function asTestUser(script: string, opts: { input?: string; timeoutMs?: number } = {}): Run {
  const r = spawnSync('runuser', ['-l', TEST_USER, '-c', script], {
    encoding: 'utf8',
    input: opts.input,
    timeout: opts.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(NOISE, '') };
}

function userExists(user: string): boolean {
  return spawnSync('id', ['-u', user]).status === 0;
}

let support: { ok: boolean; reason: string | null } | undefined;
/** Whether rootless podman runs here as the test user; the reason otherwise (cached). */
export function podmanSupport(): { ok: boolean; reason: string | null } {
  support ??= ((): { ok: boolean; reason: string | null } => {
    const s = canSandbox();
    if (!s.ok) return s;
    if (process.getuid?.() !== 0) return { ok: false, reason: `switching to the test user ${TEST_USER} needs root` };
    if (!userExists(TEST_USER))
      return { ok: false, reason: `no user ${TEST_USER} (scripts/install-deps.sh creates it)` };
    for (const f of ['/etc/subuid', '/etc/subgid']) {
      if (
        !readFileSync(f, 'utf8')
          .split('\n')
          .some((l) => l.startsWith(`${TEST_USER}:`))
      ) {
        return { ok: false, reason: `${f} has no range for ${TEST_USER} (scripts/install-deps.sh adds one)` };
      }
    }
    const r = asTestUser(`${PODMAN} info --format '{{.Host.OCIRuntime.Name}}'`, { timeoutMs: 60_000 });
    if (r.status !== 0)
      return {
        ok: false,
        reason: `rootless podman does not run as ${TEST_USER}: ${r.stderr.trim().split('\n').pop()}`,
      };
    return { ok: true, reason: null };
  })();
  return support;
}

/**
 * Imports the test image (once per test store) from the bullseye root. The
 * tar is made here (the checkout may not be readable by the test user); the
 * test user imports it.
 */
export function ensureImage(rootfs: string): void {
  const have = asTestUser(`${PODMAN} image inspect -f '{{index .Config.Labels "binfmt.image"}}' ${IMAGE} 2>/dev/null`);
  if (have.status === 0 && have.stdout.trim() === IMAGE_VERSION) return;
  const dir = userDir('binfmt-image-');
  mkdirSync(join(dir, 'extra', 'etc'), { recursive: true });
  writeFileSync(
    join(dir, 'extra', 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  );
  // Toolbx's init-container gives the user the group sudo (or wheel); it fails where there is neither.
  writeFileSync(join(dir, 'extra', 'etc', 'group'), 'root:x:0:\nsudo:x:27:\nnogroup:x:65534:\n');
  const tar = join(dir, 'img.tar');
  for (const args of [
    ['-C', rootfs, '--exclude=./debootstrap', '--exclude=./.binfmt-rootfs-ok', '-cf', tar, '.'],
    ['-C', join(dir, 'extra'), '-rf', tar, './etc/passwd', './etc/group'],
  ]) {
    const t = spawnSync('tar', args, { encoding: 'utf8' });
    if (t.status !== 0) throw new Error(`tar ${args.join(' ')}: ${t.stderr}`);
  }
  giveToTestUser(dir);
  const label = `--change 'LABEL binfmt.image=${IMAGE_VERSION}'`;
  const r = asTestUser(
    `${PODMAN} rmi -f ${IMAGE} >/dev/null 2>&1; ${PODMAN} import ${label} ${tar} ${IMAGE} >/dev/null`,
  );
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`importing ${IMAGE} failed: ${r.stderr}`);
}

/** A fresh directory under the temp dir that the test user owns (mode 755, so containers can read it). */
export function userDir(prefix: string): string {
  const dir = fileTempDir(prefix);
  chmodSync(dir, 0o755);
  giveToTestUser(dir);
  return dir;
}

export function giveToTestUser(path: string): void {
  const r = spawnSync('chown', ['-R', `${TEST_USER}:${TEST_USER}`, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chown ${path}: ${r.stderr}`);
}

/**
 * binfmt as installed for the test user: the bundle, the addon, the loader and
 * the shipped definitions copied into `dir` (the checkout may not be readable
 * by that user). Returns the path of the installed bundle.
 */
export function installBinfmt(dir: string): string {
  for (const p of [
    'package.json',
    'dist/cli',
    'build/Release/binfmt_native.node',
    'build/Release/binfmt-loader',
    'binfmt',
  ]) {
    const from = join(ROOT, p);
    if (!existsSync(from)) throw new Error(`${from} is missing: npm run build first`);
    cpSync(from, join(dir, p), { recursive: true });
  }
  giveToTestUser(dir);
  return join(dir, 'dist', 'cli', 'binfmt.cjs');
}

/**
 * What is in the machine's own binfmt_misc, to compare before and after: the
 * entries and their contents, or what the mount point holds when nothing is
 * mounted there (it may well not be mounted; the tests never mount it).
 */
export function hostBinfmt(): string {
  if (!existsSync(join(MOUNT, 'status')))
    return `(not mounted) ${existsSync(MOUNT) ? readdirSync(MOUNT).join(',') : ''}`;
  return readdirSync(MOUNT)
    .sort()
    .map((n) => (n === 'register' ? n : `${n}: ${readFileSync(join(MOUNT, n), 'utf8')}`))
    .join('\n');
}

/** The shell function the container tests' scripts log each step with: a header, the command, its output, its rc. */
export const STEP_FUNCTION = 'step() { echo "## $1"; shift; echo "\\$ $*"; "$@" 2>&1; echo "rc=$?"; }';

/** One step's output (and its rc line) from a script's output that STEP_FUNCTION made. */
export function stepOutput(out: string, name: string): string {
  const m = new RegExp(`## ${name}\\n\\$ [^\\n]*\\n([\\s\\S]*?rc=\\d+)`).exec(out);
  if (!m) throw new Error(`no step ${name} in:\n${out}`);
  return m[1]!;
}

/**
 * A foreign-architecture test image: a Debian bookworm arm64 root made by
 * debootstrap, both stages, and imported into the test user's podman store.
 *
 * The first stage (`--foreign`) runs on the host: it only downloads and
 * unpacks, from the mirror this machine's apt uses (binfmt rootfs reads it
 * from /etc/apt/sources.list* at run time). The second stage runs the root's
 * own arm64 programs (dpkg, the maintainer scripts), so it runs in a private
 * sandbox with qemu-aarch64-static (unpacked from Debian's qemu-user-static
 * into .cache/debs, never installed) registered with F in the sandbox's own
 * binfmt_misc, ids 0..65535 mapped so that the packages' owners exist, and
 * container=lxc, which tells debootstrap not to make device nodes (mknod is
 * root's of the initial user namespace only). The
 * root is packed as .cache/arm64-root.tar (kept between runs; about a minute
 * and a half to make): /proc a directory (runc refuses the symlink the first
 * stage leaves), dev/* left out (the runtime makes its own).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, sandboxed } from './sandbox.js';
import { asTestUser, giveToTestUser, userDir } from './podman.js';

export const ARM64_IMAGE = 'localhost/binfmt-arm64:test';
/** A native image: busybox-static alone (its /bin/true a link to it). */
export const NATIVE_IMAGE = 'localhost/binfmt-busybox:test';
/** Bumped when the image's content changes: an older import is replaced. */
const ARM64_IMAGE_VERSION = '1';
export const ARM64_TAR = join(ROOT, '.cache', 'arm64-root.tar');
/** Debian's static qemu for arm64 (scripts/install-deps.sh unpacks qemu-user-static there). */
export const QEMU_AARCH64 = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin', 'qemu-aarch64-static');
/** The ELF header bytes of an arm64 executable and which of them count (Debian's qemu-aarch64 binfmt.d file). */
const AARCH64_MAGIC = '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00';
const AARCH64_MASK =
  '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';
const SUITE = 'bookworm';
/** Debian's busybox-static (scripts/install-deps.sh installs it). */
const BUSYBOX = '/bin/busybox';

function must(argv: string[], what: string, timeoutMs = 600_000): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${what}: ${r.error?.message ?? `exit ${r.status}`}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** The mirror apt uses here, as `binfmt rootfs` finds it (never written down in the repository). */
function aptMirror(): string {
  const out = must(
    ['node', CLI, 'rootfs', SUITE, join(ROOT, '.cache', 'no-such-root'), '--dry-run', '--json'],
    'mirror',
  );
  const mirror = (JSON.parse(out) as { mirror: string | null }).mirror;
  if (!mirror) throw new Error('binfmt rootfs found no Debian mirror in /etc/apt/sources.list*');
  return mirror;
}

/** .cache/arm64-root.tar, made on first use (as root: debootstrap makes device nodes). */
export function arm64RootTar(): string {
  if (existsSync(ARM64_TAR)) return ARM64_TAR;
  if (!existsSync(QEMU_AARCH64)) throw new Error(`${QEMU_AARCH64} is missing (scripts/install-deps.sh unpacks it)`);
  const work = mkdtempSync(join(ROOT, '.cache', 'arm64-root-'));
  try {
    const root = join(work, 'root');
    must(['debootstrap', '--foreign', '--arch=arm64', '--variant=minbase', SUITE, root, aptMirror()], 'debootstrap');
    const line = `:qemu-aarch64:M::${AARCH64_MAGIC}:${AARCH64_MASK}:${QEMU_AARCH64}:F`;
    const second = sandboxed(
      `set -e; printf '%s' '${line}' > /proc/sys/fs/binfmt_misc/register
       container=lxc chroot ${root} /debootstrap/debootstrap --second-stage`,
      { mapUsers: true, timeoutMs: 1_200_000 },
    );
    if (second.status !== 0)
      throw new Error(`second stage: exit ${second.status}\n${(second.stdout + second.stderr).slice(-3000)}`);
    rmSync(join(root, 'proc'), { recursive: true, force: true });
    mkdirSync(join(root, 'proc'));
    const tmp = `${ARM64_TAR}.tmp${process.pid}`;
    must(['tar', '-C', root, '--exclude=./dev/*', '--exclude=./var/cache/apt/archives/*.deb', '-cf', tmp, '.'], 'tar');
    renameSync(tmp, ARM64_TAR);
    return ARM64_TAR;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The podman stores of the foreign-architecture tests: the container tests', the walkthrough's. */
export type ForeignStore = 'foreign' | 'foreign-docs';

/**
 * Shell lines that set the test user's podman up for the foreign-architecture
 * tests: a store, a run root and a runtime directory of their own (runc,
 * cgroupfs, overlay, as everywhere). podman records its runtime directory in
 * the store's database and keeps its pause process's pid there, so only a
 * store of their own gives them a pause process of their own, one they may
 * kill (it holds podman's user namespace, and with it the registrations)
 * without touching other tests' containers. `dir` gets the two config files;
 * each `store` is one of its own, so that test files running at the same
 * time do not share a pause process either.
 */
export function foreignPodmanEnv(dir: string, store: ForeignStore): string {
  const run = `/tmp/binfmt-tests-${store}-$(id -u)`;
  return `
    export XDG_RUNTIME_DIR=${run}/xdg CONTAINERS_CONF=${dir}/containers.conf CONTAINERS_STORAGE_CONF=${dir}/storage.conf
    mkdir -p -m 700 ${run} $XDG_RUNTIME_DIR
    printf '[engine]\\nruntime = "runc"\\ncgroup_manager = "cgroupfs"\\n' > $CONTAINERS_CONF
    printf '[storage]\\ndriver = "overlay"\\nrunroot = "%s"\\nrootless_storage_path = "%s"\\n' ${run}/run "$HOME/.local/share/binfmt-tests/${store}-storage" > $CONTAINERS_STORAGE_CONF`;
}

/** Shell lines that kill the pause process of foreignPodmanEnv's podman, if it runs, and wait for it to go. */
export const KILL_PAUSE = `p=$(cat $XDG_RUNTIME_DIR/libpod/tmp/pause.pid 2>/dev/null) && kill $p && while [ -e /proc/$p ]; do sleep 0.1; done; true`;

/**
 * Imports the arm64 image and the native one into foreignPodmanEnv's store
 * (once per store and image version).
 */
export function ensureForeignImages(store: ForeignStore): void {
  const dir = userDir('binfmt-arm64-image-');
  try {
    const env = foreignPodmanEnv(dir, store);
    const label = `{{index .Config.Labels "binfmt.image"}}`;
    const have = asTestUser(`${env}\n podman image inspect -f '${label}' ${ARM64_IMAGE} ${NATIVE_IMAGE} 2>/dev/null`);
    if (have.status === 0 && have.stdout.trim() === `${ARM64_IMAGE_VERSION}\n${ARM64_IMAGE_VERSION}`) return;
    const tar = arm64RootTar();
    must(['cp', tar, join(dir, 'root.tar')], 'copy the tar');
    mkdirSync(join(dir, 'busybox', 'bin'), { recursive: true });
    mkdirSync(join(dir, 'busybox', 'proc'));
    must(['cp', BUSYBOX, join(dir, 'busybox', 'bin', 'busybox')], 'copy busybox');
    must(['ln', '-s', 'busybox', join(dir, 'busybox', 'bin', 'true')], 'link true');
    must(['tar', '-C', join(dir, 'busybox'), '-cf', join(dir, 'busybox.tar'), '.'], 'tar busybox');
    giveToTestUser(dir);
    const change = `--change 'LABEL binfmt.image=${ARM64_IMAGE_VERSION}'`;
    const r = asTestUser(
      `${env}
       podman rmi -f ${ARM64_IMAGE} ${NATIVE_IMAGE} >/dev/null 2>&1
       podman --log-level error import --arch arm64 --os linux ${change} ${dir}/root.tar ${ARM64_IMAGE} >/dev/null &&
       podman --log-level error import ${change} ${dir}/busybox.tar ${NATIVE_IMAGE} >/dev/null`,
    );
    if (r.status !== 0) throw new Error(`importing the test images failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

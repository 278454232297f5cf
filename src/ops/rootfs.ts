/**
 * `binfmt rootfs SUITE DIR`: a minimal Debian root filesystem for trying the
 * uses (an old container, a jail), made with debootstrap from the Debian
 * mirror this machine's apt already uses. The first stage only
 * (`--foreign --variant=minbase`): the required packages unpacked, nothing
 * run inside, which is all a chroot needs to run programs against that
 * release's libraries. Idempotent: a DIR it made before is left as it is.
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { BinfmtError, type ErrorField } from '../core/binfmt-error.js';
import { binfmt, option, type Fix } from '../core/fix.js';
import { codenameOf, mirrorFromAptSources, type AptSourceFile } from '../core/apt-sources.js';

/** Written last into DIR: its presence means the whole job finished. */
export const ROOTFS_STAMP = '.binfmt-rootfs';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
/**
 * Directories a plain debootstrap root lacks that the uses mount or write:
 * the host (Toolbx's /run/host), proc, tmp, opt.
 */
const EXTRA_DIRS = ['opt', 'run/host', 'proc', 'tmp'];
/** How many of debootstrap's last output lines a failure quotes. */
const FAILURE_TAIL_LINES = 15;

export interface RootfsOptions {
  suite: string;
  dir: string;
  mirror?: string;
  cacheDir?: string;
  dryRun?: boolean;
}

export interface RootfsResult {
  suite: string;
  dir: string;
  mirror: string | null;
  cacheDir: string;
  /** false: DIR was already made by an earlier run. */
  made: boolean;
  argv: string[];
}

/** Where the downloaded .debs are kept between runs, so that a rerun fetches only the package index. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'binfmt', 'debootstrap');
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function aptSourceFiles(): AptSourceFile[] {
  const files: AptSourceFile[] = [{ path: '/etc/apt/sources.list', text: readOr('/etc/apt/sources.list', '') }];
  let names: string[] = [];
  try {
    names = readdirSync('/etc/apt/sources.list.d').sort();
  } catch {
    // no sources.list.d: only sources.list
  }
  for (const n of names.filter((n) => n.endsWith('.list') || n.endsWith('.sources'))) {
    const path = join('/etc/apt/sources.list.d', n);
    files.push({ path, text: readOr(path, '') });
  }
  return files;
}

/** Root of the initial user namespace: its uid_map maps every id to itself. */
function inInitialUserNamespace(): boolean {
  return /^\s*0\s+0\s+4294967295\s*$/.test(readOr('/proc/self/uid_map', ''));
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function refuseUnless(ok: boolean, code: string, message: string | Fix, field?: ErrorField): void {
  if (!ok) throw new BinfmtError(code, message, field);
}

/** Whether this process runs as root (debootstrap needs it). */
export const isRoot = (): boolean => process.getuid?.() === 0;

export function makeRootfs(opts: RootfsOptions): RootfsResult {
  const dir = resolve(opts.dir);
  const cacheDir = resolve(opts.cacheDir ?? defaultCacheDir());
  const base: Omit<RootfsResult, 'made' | 'argv' | 'mirror'> = { suite: opts.suite, dir: opts.dir, cacheDir };
  const suiteOk = /^[a-z][a-z0-9.-]*$/.test(opts.suite);
  refuseUnless(suiteOk, 'EINVAL', `suite '${opts.suite}' is not a Debian suite name (e.g. bullseye)`, 'SUITE');
  if (existsSync(join(dir, ROOTFS_STAMP))) return { ...base, mirror: null, made: false, argv: [] };
  if (existsSync(dir)) {
    refuseUnless(lstatSync(dir).isDirectory(), 'ENOTDIR', `${opts.dir} exists and is not a directory`, 'DIR');
    const why = [`${opts.dir} exists and is not a root filesystem `, binfmt('rootfs'), ` made (no ${ROOTFS_STAMP})`];
    refuseUnless(readdirSync(dir).length === 0, 'EEXIST', [...why, ': remove it or name another directory'], 'DIR');
  }
  // --dry-run changes nothing, so anyone may ask what it would do.
  refuseUnless(opts.dryRun || isRoot(), 'EPERM', ['debootstrap needs root: run ', binfmt('rootfs'), ' as root']);
  refuseUnless(opts.dryRun || inInitialUserNamespace(), 'EPERM', [
    'debootstrap cannot run inside a user namespace (',
    binfmt('sandbox'),
    ', unshare -r, a rootless container): ' +
      'it creates device nodes with mknod(2), which the kernel allows only to root of the initial user ' +
      'namespace. Run it as root outside; the directory it makes then works inside one',
  ]);
  refuseUnless(onPath('debootstrap'), 'ENOENT', 'debootstrap is not installed (Debian package debootstrap)');
  const codename = codenameOf(readOr('/etc/os-release', '')) ?? '';
  const mirror = opts.mirror ?? mirrorFromAptSources(aptSourceFiles(), codename);
  const noMirror = [`no Debian mirror for '${codename}' in /etc/apt/sources.list*: pass `, option('mirror', 'URI')];
  refuseUnless(mirror !== null, 'ENOENT', noMirror, option('mirror'));

  const tmp = join(dirname(dir), `.${basename(dir)}.binfmt-rootfs-tmp`);
  const argv = [
    'debootstrap',
    '--foreign',
    '--variant=minbase',
    `--cache-dir=${cacheDir}`,
    ...(existsSync(KEYRING) ? [`--keyring=${KEYRING}`] : []),
    opts.suite,
    tmp,
    mirror!,
  ];
  if (opts.dryRun) return { ...base, mirror, made: false, argv };

  mkdirSync(cacheDir, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-FAILURE_TAIL_LINES).join('\n');
    rmSync(tmp, { recursive: true, force: true });
    const how = r.error?.message ?? `exit ${r.status}`;
    throw new BinfmtError('EIO', `debootstrap ${opts.suite} failed (${how}):\n${tail}`);
  }
  // The first stage leaves /proc as a symlink to itself; chroots mount proc there.
  const proc = join(tmp, 'proc');
  if (lstatSync(proc, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(proc);
  for (const d of EXTRA_DIRS) mkdirSync(join(tmp, d), { recursive: true });
  chmodSync(join(tmp, 'tmp'), 0o1777);
  chmodSync(tmp, 0o755);
  // The downloaded packages are in the cache; the root needs only what they unpacked.
  rmSync(join(tmp, 'var/cache/apt/archives'), { recursive: true, force: true });
  mkdirSync(join(tmp, 'var/cache/apt/archives/partial'), { recursive: true });
  writeFileSync(join(tmp, ROOTFS_STAMP), `${opts.suite}\n`);
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  renameSync(tmp, dir);
  return { ...base, mirror, made: true, argv };
}

/**
 * The package as a user gets it: `npm pack` of the build (scripts/pack.mjs)
 * installed with `npm install -g --prefix TMP`, once per test file. Tests that
 * drive it test what ships (the bundle, the man pages, the shipped
 * definitions), not the source tree.
 */
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './sandbox.js';
import { fileTempDir } from './tmp.js';

export interface Installed {
  /** The tarball npm installed. */
  tarball: string;
  /** The --prefix it was installed into (world-readable: ordinary users run it too). */
  prefix: string;
  /** PREFIX/bin, to put first on PATH. */
  bin: string;
  /** The installed package's directory (PREFIX/lib/node_modules/binfmt). */
  pkg: string;
}

/** Every temporary directory made here or by scratchDir, for removeScratch(). */
const made: string[] = [];

/** A fresh world-readable directory under the system's tmp, removed by removeScratch(). */
export function scratchDir(prefix: string): string {
  const dir = fileTempDir(prefix);
  chmodSync(dir, 0o755);
  made.push(dir);
  return dir;
}

/** Removes what this file's tests made (call it from afterAll). */
export function removeScratch(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  cached = undefined;
}

function must(argv: string[], cwd = ROOT): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Packs BUILD (default build/Release) and returns the tarball's path. */
export function pack(opts: { build?: string } = {}): string {
  const out = scratchDir('binfmt-tgz-');
  const args = [
    'node',
    join(ROOT, 'scripts', 'pack.mjs'),
    '--out',
    out,
    ...(opts.build ? ['--build', opts.build] : []),
  ];
  return must(args).trim().split('\n').pop()!;
}

/** Installs TARBALL globally into a fresh prefix; extra npm arguments (e.g. --cpu=arm64) go last. */
export function install(tarball: string, extra: string[] = []): Installed {
  const prefix = scratchDir('binfmt-prefix-');
  must(['npm', 'install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', ...extra, tarball]);
  return { tarball, prefix, bin: join(prefix, 'bin'), pkg: join(prefix, 'lib', 'node_modules', 'binfmt') };
}

let cached: Installed | undefined;
/** The package of this build, installed once per test file. */
export function installed(): Installed {
  cached ??= install(pack());
  return cached;
}

/** Every file of the installed package, relative to it. */
export function installedFiles(pkg: string, dir = ''): string[] {
  return readdirSync(join(pkg, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? installedFiles(pkg, join(dir, e.name)) : [join(dir, e.name)],
  );
}

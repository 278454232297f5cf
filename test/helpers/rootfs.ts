/**
 * The old-glibc root filesystem (Debian bullseye, glibc 2.31) made once by
 * scripts/make-rootfs.sh and cached under .cache/rootfs. Tests put their own
 * files under <root>/opt/<unique dir> and remove them afterwards.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT } from './sandbox.js';

let cached: string | undefined;

/** Path of the bullseye root filesystem; builds it on first use (about 20 s with downloads). */
export function bullseyeRoot(): string {
  cached ??= execFileSync('bash', [join(ROOT, 'scripts', 'make-rootfs.sh'), 'bullseye'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  }).trim();
  return cached;
}

/** A fresh directory under <root>/opt for one test file; returns [hostDir, inRootDir, cleanup]. */
export function optDir(root: string): { host: string; inRoot: string; cleanup: () => void } {
  mkdirSync(join(root, 'opt'), { recursive: true });
  const host = mkdtempSync(join(root, 'opt', 'binfmt-test-'));
  return { host, inRoot: `/opt/${basename(host)}`, cleanup: () => rmSync(host, { recursive: true, force: true }) };
}

/** Copies a file into dir (keeping its mode) and returns the new path. */
export function copyInto(file: string, dir: string, name = basename(file)): string {
  const to = join(dir, name);
  cpSync(file, to);
  return to;
}

/**
 * Test programs compiled once and cached under .cache/fixtures (git-ignored),
 * keyed by a hash of the compiler, flags and source, so reruns reuse them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sandbox.js';

export const FIXTURES = join(ROOT, '.cache', 'fixtures');

/** Compiles `source` (C) with `cc` and `flags` into .cache/fixtures/<name>-<hash><suffix>; returns the path. */
export function buildC(
  name: string,
  source: string,
  flags: string[] = [],
  opts: { cc?: string; suffix?: string } = {},
): string {
  const cc = opts.cc ?? 'gcc';
  const hash = createHash('sha256')
    .update(JSON.stringify([cc, flags, source]))
    .digest('hex')
    .slice(0, 12);
  mkdirSync(FIXTURES, { recursive: true });
  const out = join(FIXTURES, `${name}-${hash}${opts.suffix ?? ''}`);
  if (existsSync(out)) return out;
  const src = join(FIXTURES, `${name}-${hash}.c`);
  writeFileSync(src, source);
  const tmp = `${out}.tmp${process.pid}`;
  execFileSync(cc, [...flags, '-o', tmp, src], { stdio: 'pipe' });
  renameSync(tmp, out);
  return out;
}

/** test/fixtures/<name>.c, compiled with buildC. */
export function compiled(name: string, flags: string[] = ['-O2']): string {
  return buildC(name, readFileSync(join(ROOT, 'test', 'fixtures', `${name}.c`), 'utf8'), flags);
}

/** A program that prints its argv, one `argv[i]=...` per line, and exits 0. */
export const ARGV_PROGRAM = `#include <stdio.h>
int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\\n", i, argv[i]);
  return 0;
}
`;

/**
 * A program that reports which runtime and which executable it runs under:
 * `glibc=<version>` (from the libc actually loaded), `exe=<readlink
 * /proc/self/exe>` (the binfmt_misc interpreter when one ran it), then its argv.
 */
export const RUNTIME_PROGRAM = `#include <stdio.h>
#include <unistd.h>
#include <gnu/libc-version.h>
int main(int argc, char **argv) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n < 0 ? 0 : n] = 0;
  printf("glibc=%s\\nexe=%s\\n", gnu_get_libc_version(), exe);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\\n", i, argv[i]);
  return 0;
}
`;

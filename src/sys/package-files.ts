/**
 * The one place that knows where binfmt's own files are: the build output
 * (build/Release: the addon and the loader), the shipped definitions
 * (binfmt/) and the pages (docs/).
 *
 * The package root is found by a marker, not by depth: starting at this
 * module's own directory, walk up to the first directory holding a
 * package.json whose name is "binfmt". That holds wherever this code runs
 * from: the sources (src/sys/, under tsx or vitest), the compiled tree
 * (dist/sys/) or a CLI bundle (dist/cli/program.cjs, dist/cli/commands/*.cjs,
 * whose import.meta.url is the bundle's own URL: see scripts/bundle.mjs).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BinfmtError } from '../core/binfmt-error.js';

/** The marker: package.json's "name". */
export const PACKAGE_NAME = 'binfmt';

function isPackageRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The first directory from `start` upwards whose package.json names binfmt. */
export function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isPackageRoot(dir)) return dir;
    if (dirname(dir) === dir) {
      throw new BinfmtError(
        'ENOENT',
        `no package.json named "${PACKAGE_NAME}" in ${start} or any directory above it`,
        'package',
      );
    }
  }
}

let root: string | undefined;

/** binfmt's package root (found once, then remembered). */
export function packageRoot(): string {
  root ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** build/Release: the native addon and the chainloader, as `npm run build:native` leaves them. */
export function buildDir(): string {
  return join(packageRoot(), 'build', 'Release');
}

/** binfmt/: the format definitions shipped with binfmt (binfmt.d format). */
export function shippedDefinitionsDir(): string {
  return join(packageRoot(), 'binfmt');
}

/** docs/: the manual pages. */
export function docsDir(): string {
  return join(packageRoot(), 'docs');
}

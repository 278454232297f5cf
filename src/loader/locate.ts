/**
 * The one place that knows where the built loader is: build/Release/binfmt-loader
 * in the package (found by src/sys/package-files.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { buildDir } from '../sys/package-files.js';

export const LOADER_NAME = 'binfmt-loader';

export function loaderPath(): string {
  return join(buildDir(), LOADER_NAME);
}

/** loaderPath(), or ENOENT if it has not been built (npm run build:native). */
export function locateLoader(): string {
  const p = loaderPath();
  if (!existsSync(p))
    throw new BinfmtError('ENOENT', `${p}: the loader is not built (run npm run build:native)`, 'loader');
  return p;
}

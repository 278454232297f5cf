/**
 * The one place that knows where the built loader is: build/Release/binfmt-loader
 * beside dist/ (or src/ when run from the sources), two levels above this module.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BinfmtError } from '../core/binfmt-error.js';

export const LOADER_NAME = 'binfmt-loader';

export function loaderPath(): string {
  return resolve(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'Release', LOADER_NAME));
}

/** loaderPath(), or ENOENT if it has not been built (npm run build:native). */
export function locateLoader(): string {
  const p = loaderPath();
  if (!existsSync(p)) throw new BinfmtError('ENOENT', `${p}: the loader is not built (run npm run build:native)`, 'loader');
  return p;
}

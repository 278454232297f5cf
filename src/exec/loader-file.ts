/**
 * Where the built chainloader is: build/Release/binfmt-loader beside dist/
 * (cmake-js builds it with the addon), or BINFMT_LOADER when set.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BinfmtError } from '../core/binfmt-error.js';

export const BUILT_LOADER = fileURLToPath(new URL('../../build/Release/binfmt-loader', import.meta.url));

export function loaderFile(explicit?: string): string {
  const file = explicit ?? process.env.BINFMT_LOADER ?? BUILT_LOADER;
  if (!existsSync(file)) {
    throw new BinfmtError('ENOENT', `the chainloader ${file} does not exist; run \`npm run build:native\``, explicit ? '--loader' : 'loader');
  }
  return file;
}

/**
 * The chainloader `binfmt exec` runs: --loader FILE when given, else the built
 * one (src/loader/locate.ts).
 */
import { existsSync } from 'node:fs';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import { locateLoader } from '../loader/locate.js';

export function loaderFile(explicit?: string): string {
  if (explicit === undefined) return locateLoader();
  if (!existsSync(explicit))
    throw new BinfmtError('ENOENT', [option('loader'), `: ${explicit}: no such file`], option('loader'));
  return explicit;
}

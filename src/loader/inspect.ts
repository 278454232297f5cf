/**
 * `binfmt loader show`: the baked configuration of a loader copy.
 */
import { readFileSync } from 'node:fs';
import { BinfmtError } from '../core/binfmt-error.js';
import { findConfigArea, parseConfigArea, type LoaderConfig } from './config-area.js';

export function readFileOrThrow(path: string, field: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new BinfmtError(
      (e as NodeJS.ErrnoException).code ?? 'EIO',
      `${field}: ${path}: ${(e as Error).message}`,
      field,
    );
  }
}

/** The baked configuration in a loader file's bytes. */
export function inspectImage(image: Uint8Array, what: string): LoaderConfig {
  return parseConfigArea(image.subarray(findConfigArea(image, what)), what);
}

export function readLoaderConfig(path: string): LoaderConfig {
  return inspectImage(readFileOrThrow(path, 'FILE'), path);
}

/**
 * `binfmt loader show`: the baked configuration of a loader copy.
 */
import { MAX_BINARY_BYTES, readWhole } from '../sys/bounded-read.js';
import { isOption, type FixOption } from '../core/fix.js';
import { findConfigArea, parseConfigArea, type LoaderConfig } from './config-area.js';

/**
 * A loader copy or an ld.so, read whole: a regular file of at most
 * MAX_BINARY_BYTES. Errors name the option before the path ("--ld PATH: ..."),
 * or just the path for the command's own FILE.
 */
export function readFileOrThrow(path: string, field: string | FixOption): Uint8Array {
  const label = isOption(field) ? [field, ' '] : field === 'FILE' ? '' : `${field} `;
  return readWhole(path, field, MAX_BINARY_BYTES, 'a loader or ld.so file', label);
}

/** The baked configuration in a loader file's bytes. */
export function inspectImage(image: Uint8Array, what: string): LoaderConfig {
  return parseConfigArea(image.subarray(findConfigArea(image, what)), what);
}

export function readLoaderConfig(path: string): LoaderConfig {
  return inspectImage(readFileOrThrow(path, 'FILE'), path);
}

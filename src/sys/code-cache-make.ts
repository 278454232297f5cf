/**
 * Makes the code cache of a bundle (see src/sys/code-cache.ts), at build
 * time. V8 compiles a function only when it first runs, and a cache holds
 * only the functions compiled so far; the build runs no command, so it
 * compiles the bundle with V8's lazy compilation off (every function now),
 * then turns it back on before taking the cache: V8 refuses a cache made
 * under other flags than the ones it runs with, and `lazy` is one of them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { CACHE_SUFFIX, cacheFile, wrappedSource } from './code-cache.js';

/** Writes <file>.cache for `file`; returns its path. */
export function makeCodeCache(file: string): string {
  const source = readFileSync(file);
  setFlagsFromString('--no-lazy');
  let script: Script;
  try {
    script = new Script(wrappedSource(source.toString('utf8')), { filename: file });
  } finally {
    setFlagsFromString('--lazy');
  }
  const out = file + CACHE_SUFFIX;
  writeFileSync(out, cacheFile(source, script.createCachedData()));
  return out;
}

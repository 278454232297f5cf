/**
 * V8 code caches for the CLI's bundles (dist/cli/program.cjs and
 * dist/cli/commands/<name>.cjs). V8 compiles a function the first time it
 * runs; for a command that does little, such as `binfmt emulate --podman`
 * when the entry is already registered, compiling the bundles' code costs
 * about as much as running it. The build (scripts/bundle.mjs, with
 * src/sys/code-cache-make.ts) stores each bundle's compiled code in
 * <bundle>.cache; the `binfmt` launcher (src/cli/bin.ts) loads .cjs files
 * through useCodeCaches(), which hands V8 that code instead of the work.
 *
 * A cache is used only for the exact bundle it was made from, and V8 checks
 * only the source's length, its own version and its flags. So the cache holds
 * a line naming the V8 version and the bundle's length, then a copy of the
 * bundle's bytes, compared with the bundle's own (a byte compare of ~100 KB
 * takes microseconds; a hash would need node:crypto, whose loading costs
 * more than the cache saves), then V8's data. A missing, stale or refused
 * cache costs the compile it would have saved, nothing more: the bundle then
 * compiles as Node compiles any file.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** A bundle's cache is the bundle's path with this appended. */
export const CACHE_SUFFIX = '.cache';

/** What the cache's first line starts with. */
const MAGIC = 'binfmt-code-cache';

/** The code V8 compiles for a CommonJS file: Node's module wrapper around it (a #! line kept as a comment). */
export function wrappedSource(source: string): string {
  return Module.wrap(source.startsWith('#!') ? `//${source.slice(2)}` : source);
}

/** The first line of the cache this V8 makes of a `length`-byte bundle (without its newline). */
export function cacheHeader(length: number): string {
  return `${MAGIC} ${process.versions.v8} ${length}`;
}

/** A cache file's parts: the first line, then the bundle's bytes, then V8's data. */
export function cacheFile(source: Buffer, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${cacheHeader(source.length)}\n`, 'latin1'), source, data]);
}

/** A compiled bundle, and whether V8 took its code from the cache. */
export interface CachedScript {
  script: Script;
  fromCache: boolean;
}

/** `file` compiled with its cache, or null when it has none made from exactly this file by this V8. */
export function compileCached(file: string): CachedScript | null {
  let cache: Buffer;
  let source: Buffer;
  try {
    cache = readFileSync(file + CACHE_SUFFIX);
    source = readFileSync(file);
  } catch {
    return null;
  }
  const end = cache.indexOf(0x0a);
  const from = end + 1;
  const to = from + source.length;
  if (end < 0 || cache.toString('latin1', 0, end) !== cacheHeader(source.length) || to > cache.length) return null;
  if (!source.equals(cache.subarray(from, to))) return null;
  const script = new Script(wrappedSource(source.toString('utf8')), {
    filename: file,
    cachedData: cache.subarray(to),
  });
  return { script, fromCache: script.cachedDataRejected !== true };
}

type Loader = (module: NodeJS.Module, filename: string) => void;

/**
 * From now on `require` of a .cjs file uses the file's cache when it has a
 * usable one, and is Node's own loading otherwise. The module runs as Node
 * runs a CommonJS file: wrapped, with exports, require, module, __filename
 * and __dirname (require without require.resolve, .cache and .main, which
 * the bundles do not use).
 */
export function useCodeCaches(): void {
  const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  const plain = extensions['.js']!;
  extensions['.cjs'] = (module, filename) => {
    const compiled = compileCached(filename);
    if (!compiled) {
      plain(module, filename);
      return;
    }
    const run = compiled.script.runInThisContext() as (...args: unknown[]) => void;
    const require = (id: string): unknown => module.require(id); // all the bundles use of it
    run.call(module.exports, module.exports, require, module, filename, dirname(filename));
  };
}

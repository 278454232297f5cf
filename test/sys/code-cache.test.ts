/**
 * The CLI bundles' V8 code caches (src/sys/code-cache.ts): the build makes
 * one that a fresh Node takes for every bundle the launcher loads, a cache is
 * used only with the exact bytes it was made from (V8 itself would take it
 * for any source of the same length), and a module loaded through one runs as
 * Node runs a CommonJS file. Each case runs in a fresh node: caches are made
 * and checked against that process's V8 and flags.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/sandbox.js';

const DIST = join(ROOT, 'dist');
const dir = mkdtempSync(join(tmpdir(), 'binfmt-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs an ES module snippet (with `cache` and `make`: dist/sys/code-cache*.js) in a fresh node; its JSON output. */
function inNode(body: string): unknown {
  const code = `
    import * as cache from ${JSON.stringify(join(DIST, 'sys', 'code-cache.js'))};
    import * as make from ${JSON.stringify(join(DIST, 'sys', 'code-cache-make.js'))};
    ${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as unknown;
}

/** What compileCached makes of each file: true (V8 took the cache), false (refused), null (not used). */
function fromCache(files: string[]): (boolean | null)[] {
  return inNode(
    `console.log(JSON.stringify(${JSON.stringify(files)}.map((f) => cache.compileCached(f)?.fromCache ?? null)))`,
  ) as (boolean | null)[];
}

describe('code caches', () => {
  it('the build makes one for the program and every command bundle, which Node takes', () => {
    const commands = readdirSync(join(DIST, 'cli', 'commands')).filter((f) => f.endsWith('.cjs'));
    const bundles = [join(DIST, 'cli', 'program.cjs'), ...commands.map((f) => join(DIST, 'cli', 'commands', f))];
    expect(commands.length).toBeGreaterThan(10);
    expect(fromCache(bundles)).toEqual(bundles.map(() => true));
  });

  it('is used only with the bytes it was made from', () => {
    const bundle = join(dir, 'program.cjs');
    copyFileSync(join(DIST, 'cli', 'program.cjs'), bundle);
    copyFileSync(join(DIST, 'cli', 'program.cjs.cache'), `${bundle}.cache`);
    expect(fromCache([bundle])).toEqual([true]); // a copy elsewhere: the path is not part of it
    // One byte changed, the length kept: V8 alone would take the cache.
    const text = readFileSync(bundle, 'utf8');
    writeFileSync(bundle, text.replace('"0.1.0"', '"0.1.1"'));
    expect(readFileSync(bundle).length).toBe(Buffer.byteLength(text));
    expect(fromCache([bundle, join(dir, 'no-such.cjs')])).toEqual([null, null]);
    rmSync(`${bundle}.cache`);
    expect(fromCache([bundle])).toEqual([null]);
  });

  it('loads a .cjs module as Node does, and a stale cache runs the file as it is now', () => {
    writeFileSync(join(dir, 'b.cjs'), 'exports.x = 42;\n');
    const a = join(dir, 'a.cjs');
    const source = (v: number) =>
      `#!/usr/bin/env node\nexports.v = ${v}; exports.file = __filename; exports.dir = __dirname;\n` +
      "exports.b = require('./b.cjs').x; exports.fs = typeof require('node:fs').readFileSync;\n" +
      'exports.self = module.exports === exports && this === exports;\n';
    writeFileSync(a, source(1));
    const run = `make.makeCodeCache(${JSON.stringify(a)});
      cache.useCodeCaches();
      const { createRequire } = await import('node:module');
      const { v, file, dir, b, fs, self } = createRequire(import.meta.url)(${JSON.stringify(a)});
      console.log(JSON.stringify({ fromCache: cache.compileCached(${JSON.stringify(a)})?.fromCache ?? null, v, file, dir, b, fs, self }));`;
    const expected = { file: a, dir, b: 42, fs: 'function', self: true };
    expect(inNode(run)).toEqual({ fromCache: true, v: 1, ...expected });
    const stale = `const { writeFileSync } = await import('node:fs');
      writeFileSync(${JSON.stringify(a)}, ${JSON.stringify(source(2))});`;
    expect(inNode(run.replace('cache.useCodeCaches();', `${stale}\ncache.useCodeCaches();`))).toEqual({
      fromCache: null,
      v: 2,
      ...expected,
    });
  });
});

/**
 * Start-up stays cheap as the CLI grows: the launcher (dist/cli/binfmt.cjs)
 * loads the program (dist/cli/program.cjs), which loads only the command
 * that runs (dist/cli/commands/<name>.cjs), and `list` neither carries the
 * ELF reader nor loads the native addon. bench/startup.bench.mjs measures
 * the time; this checks what is loaded.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/sandbox.js';

const DIST = join(ROOT, 'dist', 'cli');

/** What `binfmt ARGS` requires (non-builtin), in order. */
function loaded(args: string[]): string[] {
  const harness = `
    const Module = require('node:module');
    const seen = [];
    const load = Module._load;
    Module._load = function (request, ...rest) { if (!Module.isBuiltin(request)) seen.push(request); return load.call(this, request, ...rest); };
    process.on('exit', () => console.error(JSON.stringify(seen)));
    process.argv = [process.argv[0], 'binfmt', ...${JSON.stringify(args)}];
    require(${JSON.stringify(join(DIST, 'binfmt.cjs'))});
  `;
  const r = spawnSync(process.execPath, ['-e', harness], { encoding: 'utf8' });
  return JSON.parse(r.stderr.trim().split('\n').pop()!) as string[];
}

/** Whether `binfmt ARGS` loaded Node's child_process module (whatever its exit status). */
function loadsChildProcess(args: string[]): boolean {
  const harness = `
    process.on('exit', () => console.error(JSON.stringify(process.moduleLoadList.includes('NativeModule child_process'))));
    process.argv = [process.argv[0], 'binfmt', ...${JSON.stringify(args)}];
    require(${JSON.stringify(join(DIST, 'binfmt.cjs'))});
  `;
  const r = spawnSync(process.execPath, ['-e', harness], { encoding: 'utf8' });
  return JSON.parse(r.stderr.trim().split('\n').pop()!) as boolean;
}

describe('the CLI bundle', () => {
  it('loads only the bundle of the command that runs', () => {
    const launcher = [join(DIST, 'binfmt.cjs'), './program.cjs'];
    expect(loaded(['list', '--json', '--mount', '/nonexistent'])).toEqual([...launcher, './commands/list.cjs']);
    expect(loaded(['inspect', '/bin/true'])).toEqual([...launcher, './commands/inspect.cjs']);
  });

  it('loads the native addon only for a command that needs it', () => {
    expect(loaded(['list', '--json', '--mount', '/nonexistent']).some((m) => m.endsWith('.node'))).toBe(false);
    expect(loaded(['check', '/bin/true']).some((m) => m.endsWith('binfmt_native.node'))).toBe(true);
  });

  it('loads child_process (some 40 internal modules) only to start a process', () => {
    // emulate imports it for podman and the native-arch probe; this run fails before either.
    expect(loadsChildProcess(['emulate', 'aarch64', '--mount', '/nonexistent', '--dry-run'])).toBe(false);
    expect(loadsChildProcess(['list', '--json', '--mount', '/nonexistent'])).toBe(false);
    expect(loadsChildProcess(['sandbox', '--', 'true'])).toBe(true);
  });

  it('keeps command code out of the entry bundle, and the ELF reader out of list', () => {
    const main = readFileSync(join(DIST, 'binfmt.cjs'), 'utf8') + readFileSync(join(DIST, 'program.cjs'), 'utf8');
    const list = readFileSync(join(DIST, 'commands', 'list.cjs'), 'utf8');
    const inspect = readFileSync(join(DIST, 'commands', 'inspect.cjs'), 'utf8');
    for (const name of ['function readElf', 'function planReconcile', 'function parseRegister'])
      expect(main).not.toContain(name);
    expect(inspect).toContain('function readElf'); // the probe is a real name
    expect(list).not.toContain('function readElf');
    // list --pid enters namespaces through the addon, so list's bundle carries the (lazy) loader of it;
    // that it is not loaded for a plain list is checked above, at run time.
  });
});

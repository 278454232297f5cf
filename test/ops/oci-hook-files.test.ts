/**
 * `binfmt oci-hook install` and `uninstall`: the hooks.d files and the loader
 * copy, --dry-run writing nothing, --json. (The hook run against real podman:
 * test/containers/podman.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, CLI } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('binfmt-hookfiles-');
chmodSync(dir, 0o755);
const hooks = join(dir, 'hooks');
const loaders = join(dir, 'loaders');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('oci-hook install and uninstall', () => {
  it('--dry-run says what it would write and writes nothing', () => {
    const r = cli(['oci-hook', 'install', '--dry-run', '--hooks-dir', hooks, '--loader-dir', loaders]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `would install the host-runtime loader ${loaders}/host-runtime\n` +
        `would write ${hooks}/binfmt-host-runtime-annotation.json (containers with the annotation run.binfmt.host-runtime=true)\n` +
        `would write ${hooks}/binfmt-host-runtime-toolbox.json (Toolbx containers: toolbox … init-container)\n` +
        `would write ${hooks}/binfmt-emulate.json (every container: qemu for a foreign entry point)\n`,
    );
    expect(existsSync(hooks) || existsSync(loaders)).toBe(false);
  });

  it('writes three hooks.d files that run this binfmt with the loader and emulator directories and the log', () => {
    const r = cli([
      'oci-hook',
      'install',
      '--json',
      '--hooks-dir',
      hooks,
      '--loader-dir',
      loaders,
      '--emulator-dir',
      dir,
      '--log',
      join(dir, 'log'),
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.loader).toBe(join(loaders, 'host-runtime'));
    expect(readdirSync(hooks).sort()).toEqual([
      'binfmt-emulate.json',
      'binfmt-host-runtime-annotation.json',
      'binfmt-host-runtime-toolbox.json',
    ]);
    expect(JSON.parse(readFileSync(join(hooks, 'binfmt-emulate.json'), 'utf8'))).toEqual({
      version: '1.0.0',
      hook: {
        path: process.execPath,
        args: [process.execPath, CLI, 'oci-hook', 'emulate', '--emulator-dir', dir, '--log', join(dir, 'log')],
      },
      when: { always: true },
      stages: ['createRuntime'],
    });
    const hook = JSON.parse(readFileSync(join(hooks, 'binfmt-host-runtime-toolbox.json'), 'utf8'));
    expect(hook).toEqual({
      version: '1.0.0',
      hook: {
        path: process.execPath,
        args: [process.execPath, CLI, 'oci-hook', 'run', '--loader-dir', loaders, '--log', join(dir, 'log')],
      },
      when: { commands: ['^(.*/)?toolbox$'] },
      stages: ['createRuntime'],
    });
    expect(out.files.map((f: { hook: unknown }) => f.hook)).toContainEqual(hook);
    // the loader copy is the host-runtime one
    expect(cli(['loader', 'show', join(loaders, 'host-runtime')]).stdout).toContain('/run/host');
  });

  it('uninstall removes exactly those files; --dry-run only says so', () => {
    const dry = cli(['oci-hook', 'uninstall', '--dry-run', '--hooks-dir', hooks]);
    expect(dry.stdout).toBe(
      `would remove ${hooks}/binfmt-host-runtime-annotation.json\nwould remove ${hooks}/binfmt-host-runtime-toolbox.json\n` +
        `would remove ${hooks}/binfmt-emulate.json\n`,
    );
    expect(readdirSync(hooks)).toHaveLength(3);
    expect(cli(['oci-hook', 'uninstall', '--hooks-dir', hooks]).status).toBe(0);
    expect(readdirSync(hooks)).toEqual([]);
    expect(cli(['oci-hook', 'uninstall', '--hooks-dir', hooks]).stdout).toBe('no binfmt hook files there\n');
    expect(existsSync(join(loaders, 'host-runtime'))).toBe(true);
  });

  it('--hooks-dir is required', () => {
    const r = cli(['oci-hook', 'install']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "binfmt: required option '--hooks-dir <dir>' not specified (see binfmt oci-hook install --help)\n",
    );
  });
});

/**
 * `oci-hook install --loader-dir` refuses a directory others can write, as
 * register does, the sticky bit included (/tmp): the hooks.d files name the
 * loader's path, and once the file is gone anyone could put another there,
 * which the hook would then run in every container. And `oci-hook run`
 * with a --loader-dir that holds no loader says how to install one.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('binfmt-hook-loaderdir-');
chmodSync(dir, 0o755);

describe('oci-hook install --loader-dir', () => {
  for (const [what, mode] of [
    ['a sticky world-writable directory (like /tmp)', 0o1777],
    ['a world-writable directory', 0o777],
  ] as const) {
    it(`refuses ${what}, with --dry-run too, and writes nothing`, () => {
      const loaders = mkdtempSync(join(dir, 'loaders-'));
      chmodSync(loaders, mode);
      const hooks = join(dir, `hooks-${mode.toString(8)}`);
      for (const dry of [['--dry-run'], []]) {
        const r = cli(['oci-hook', 'install', ...dry, '--json', '--hooks-dir', hooks, '--loader-dir', loaders]);
        expect(r.status).toBe(1);
        expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'EPERM', field: '--loader-dir' });
        expect(r.stderr).toMatch(new RegExp(`^binfmt: --loader-dir ${loaders} is writable by group or others`));
      }
      expect(existsSync(hooks)).toBe(false);
      expect(readdirSync(loaders)).toEqual([]);
    });
  }

  it('accepts a directory only its owner can write', () => {
    const loaders = mkdtempSync(join(dir, 'loaders-'));
    chmodSync(loaders, 0o755);
    const r = cli(['oci-hook', 'install', '--dry-run', '--hooks-dir', join(dir, 'hooks'), '--loader-dir', loaders]);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});

describe('oci-hook run --loader-dir without the loader', () => {
  it('fails a container that asked, naming the loader and the command that installs it, in the line and in --json', () => {
    const bundle = mkdtempSync(join(dir, 'bundle-'));
    const config = {
      root: { path: 'rootfs' },
      process: { args: ['sh'] },
      mounts: [{ destination: '/run/host', source: '/' }],
    };
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
    const state = { id: 'c0ffee', pid: 7, bundle, annotations: { 'run.binfmt.host-runtime': 'true' } };
    const loaders = mkdtempSync(join(dir, 'empty-loaders-'));
    const reason = `the loader ${loaders}/host-runtime is not installed (binfmt oci-hook install --loader-dir ${loaders})`;
    const r = cli(['oci-hook', 'run', '--json', '--loader-dir', loaders], { input: JSON.stringify(state) });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`binfmt: oci-hook: container c0ffee (pid 7): host-runtime not registered: ${reason}\n`);
    expect(JSON.parse(r.stdout)).toEqual({
      container: 'c0ffee',
      pid: 7,
      interpreter: null,
      match: 'annotation',
      action: 'failed',
      reason,
      dryRun: false,
    });
  });
});

/**
 * binfmt check (src/runtime): $ORIGIN through a symlink, and its predictions
 * for programs in an old-glibc root filesystem (Debian bullseye) against
 * what really happens there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { asUsernsRoot, cli } from '../helpers/sandbox.js';
import { ARGV_PROGRAM, buildC } from '../helpers/fixtures.js';
import { bullseyeRoot, copyInto, optDir } from '../helpers/rootfs.js';
import { tempDir } from '../helpers/tmp.js';

const json = (args: string[]) => {
  const r = cli([...args, '--json']);
  return { status: r.status, data: JSON.parse(r.stdout), stderr: r.stderr };
};

describe('binfmt check: $ORIGIN', () => {
  it('takes $ORIGIN from the real path of a program reached through a symlink, as ld.so does', () => {
    const dir = tempDir('binfmt-origin-');
    mkdirSync(join(dir, 'app', 'bin'), { recursive: true });
    mkdirSync(join(dir, 'app', 'lib'));
    mkdirSync(join(dir, 'bin'));
    const lib = buildC('libx', 'int x(void) { return 7; }\n', ['-shared', '-fPIC', '-Wl,-soname,libx.so']);
    copyFileSync(lib, join(dir, 'app', 'lib', 'libx.so'));
    const src = join(dir, 'p.c');
    writeFileSync(src, 'int x(void);\nint main(void) { return x() == 7 ? 0 : 1; }\n');
    const built = spawnSync(
      'gcc',
      ['-o', join(dir, 'app', 'bin', 'prog'), src, `-L${join(dir, 'app', 'lib')}`, '-lx', '-Wl,-rpath,$ORIGIN/../lib'],
      { encoding: 'utf8' },
    );
    expect(built.stderr).toBe('');
    symlinkSync('../app/bin/prog', join(dir, 'bin', 'prog'));
    expect(spawnSync(join(dir, 'bin', 'prog')).status).toBe(0);
    const { status, data } = json(['check', join(dir, 'bin', 'prog')]);
    expect(status).toBe(0);
    expect(data.objects).toContainEqual(
      expect.objectContaining({ name: 'libx.so', path: join(dir, 'app', 'lib', 'libx.so') }),
    );
  });
});

describe('binfmt check against an old-glibc root filesystem', () => {
  let root = '';
  let dir: ReturnType<typeof optDir>;
  let hello = '';
  beforeAll(() => {
    root = bullseyeRoot();
    dir = optDir(root);
    hello = copyInto(buildC('hello', ARGV_PROGRAM), dir.host, 'hello');
  });
  afterAll(() => dir?.cleanup());

  it('predicts the GLIBC_2.34 failure that really happens inside the root', () => {
    const { status, data } = json(['check', hello, '--root', root]);
    expect(status).toBe(1);
    expect(data.runs).toBe(false);
    expect(data.missing).toContainEqual(
      expect.objectContaining({ kind: 'version', library: 'libc.so.6', version: 'GLIBC_2.34' }),
    );
    const real = asUsernsRoot(['chroot', root, `${dir.inRoot}/hello`]);
    expect(real.status).not.toBe(0);
    // ld.so's own message, word for word, is among check's
    const said = (data.missing as Array<{ message: string }>).map((m) => m.message);
    const lines = real.stderr
      .trim()
      .split('\n')
      .map((l) => l.replace(/^[^:]+: /, ''));
    for (const l of lines) expect(said).toContain(l);
  });

  it("predicts that the root's own /bin/ls runs there, and that hello runs on this machine", () => {
    expect(json(['check', join(root, 'bin', 'ls'), '--root', root]).data).toMatchObject({ runs: true, missing: [] });
    const real = asUsernsRoot(['chroot', root, '/bin/ls', '/opt']);
    expect(real.status).toBe(0);
    expect(json(['check', hello, '--root', '/']).data).toMatchObject({ runs: true, missing: [] });
  });

  it('resolves the absolute ld.so symlink inside the root, not on the host', () => {
    const { data } = json(['check', join(root, 'bin', 'ls'), '--root', root]);
    const ld = (data.objects as Array<{ name: string; path: string; resolved: string }>).find(
      (o) => o.name === '/lib64/ld-linux-x86-64.so.2',
    );
    expect(ld?.resolved).toMatch(/^\/usr\/lib\/x86_64-linux-gnu\/ld-2\.31\.so$/);
  });

  it("reads a FILE inside the root through the root: an absolute symlink there means the root's file", () => {
    // like bullseye's /usr/bin/pidof -> /sbin/killall5: an absolute link, whose target on this machine is bookworm's
    const link = join(root, 'opt', basename(dir.host), 'true-link');
    symlinkSync('/usr/bin/true', link);
    const { status, data } = json(['check', link, '--root', root]);
    expect(status).toBe(0);
    expect(data.runs).toBe(true);
    // the same bytes read from this machine would need GLIBC_2.34
    expect(json(['inspect', '/usr/bin/true']).data.versionsNeeded['libc.so.6']).toContain('GLIBC_2.34');
  });

  it('fails clearly for a missing --root', () => {
    const r = json(['check', hello, '--root', join(tempDir('binfmt-check-'), 'no-such-root')]);
    expect(r.status).toBe(1);
    expect(r.data.error).toMatchObject({ code: 'ENOENT', field: '--root' });
  });
});

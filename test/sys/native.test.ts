import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { native } from '../../src/sys/native.js';
import { tempDir } from '../helpers/tmp.js';

const n = native();
const c = n.constants;
const CHILD = fileURLToPath(new URL('native-child.mjs', import.meta.url));

/** Runs a case of native-child.mjs in a new node process, optionally under a wrapper (unshare …). */
function child(args: string[], wrapper: string[] = []): { stdout: string; stderr: string } {
  const argv = [...wrapper, process.execPath, CHILD, ...args];
  return spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
}

function expectSysError(fn: () => unknown, code: string, syscall: string, path?: string): void {
  try {
    fn();
  } catch (e) {
    const err = e as { code: string; errno: number; syscall: string; path?: string; message: string };
    expect(err.code).toBe(code);
    expect(err.errno).toBeLessThan(0);
    expect(err.syscall).toBe(syscall);
    if (path !== undefined) expect(err.path).toBe(path);
    expect(err.message).toContain(code);
    return;
  }
  throw new Error(`expected ${code} from ${syscall}`);
}

describe('native addon', () => {
  it('openat2 with RESOLVE_IN_ROOT resolves an absolute symlink inside the root', () => {
    const root = tempDir('binfmt-root-');
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib', 'target'), 'inside');
    symlinkSync('/lib/target', join(root, 'link'));
    symlinkSync('../../../../../etc/hostname', join(root, 'escape'));
    const dir = openSync(root, 'r');
    try {
      const fd = n.openat2(dir, '/link', 0, 0, c.RESOLVE_IN_ROOT);
      expect(readFileSync(fd, 'utf8')).toBe('inside');
      closeSync(fd);
      // ".." cannot climb out of the root either: it stops at the root, so the path is missing there
      expectSysError(() => n.openat2(dir, 'escape', 0, 0, c.RESOLVE_IN_ROOT), 'ENOENT', 'openat2', 'escape');
    } finally {
      closeSync(dir);
    }
  });

  it('throws Node-style errors carrying code, errno, syscall and path', () => {
    expectSysError(() => n.chroot('/nonexistent-binfmt-dir'), 'ENOENT', 'chroot', '/nonexistent-binfmt-dir');
    expectSysError(() => n.clearCloexec(987654), 'EBADF', 'fcntl');
    expectSysError(() => n.umount2('/nonexistent-binfmt-dir', 0), 'ENOENT', 'umount2');
    expectSysError(
      () => n.execveat(c.AT_FDCWD, '/nonexistent-binfmt-prog', ['x'], [], 0),
      'ENOENT',
      'execveat',
      '/nonexistent-binfmt-prog',
    );
  });

  it('rejects wrong argument types with a TypeError naming the signature', () => {
    expect(() => (n.chroot as unknown as (x: number) => void)(1)).toThrow(/chroot\(path: string\)/);
    expect(() => (n.execveat as unknown as (...a: unknown[]) => void)(0, '', [1], [], 0)).toThrow(TypeError);
  });

  it('nsBinfmt takes one object, every field checked', () => {
    const request = { userFd: -1, mntFd: 987654, rootFd: 987654, subroot: '', mountpoint: 'm', attach: false };
    const full = { ...request, writeFile: '', data: Buffer.alloc(0) };
    const call = n.nsBinfmt as unknown as (...a: unknown[]) => void;
    expect(() => call(-1, 987654, 987654, '', 'm', false, '', Buffer.alloc(0))).toThrow(/nsBinfmt\(\{userFd: number/);
    expect(() => call(request)).toThrow(TypeError);
    expect(() => call({ ...full, attach: 0 })).toThrow(TypeError);
    // The forked child fails its first step (a bad mount namespace fd), reported as the other calls report errno.
    expectSysError(() => n.nsBinfmt(full), 'EBADF', 'setns-mnt');
    expect(() => n.nsBinfmt(full)).toThrow(expect.objectContaining({ attached: false }));
  });

  it('execveat from an fd replaces the process, keeps argv, env and default SIGPIPE', () => {
    // A child node process execs /bin/sh from an fd; the shell reports what it got.
    const r = child(['execveat']);
    expect(r.stderr).toBe('');
    const [first, sigign] = r.stdout.split('\n');
    expect(first).toBe('zero arg1 env-ok');
    // SIGPIPE is signal 13: bit 12 of SigIgn must be clear after exec
    const mask = BigInt('0x' + sigign!.split(/\s+/)[1]);
    expect(mask & (1n << 12n)).toBe(0n);
  });

  it('fexecve runs a file from an fd, and clearCloexec lets another fd through', () => {
    const r = child(['fexecve']);
    expect(r.stderr).toBe('');
    const [keep, drop] = r.stdout.trim().split('\n');
    expect(keep).toMatch(/^\d+ open$/);
    expect(drop).toMatch(/^\d+ closed$/);
  });

  it('mount and chroot work inside a user namespace', () => {
    const root = tempDir('binfmt-mnt-');
    mkdirSync(join(root, 'm'));
    const r = child(['mount-chroot', root], ['unshare', '--user', '--map-root-user', '--mount']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('f m\n0\n');
  });
});

describe('without the native build', () => {
  it('says how to build the addon instead of crashing', () => {
    // The package with its CLI bundle but no build/Release.
    const dir = tempDir('binfmt-nobuild-');
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'binfmt' }));
    cpSync(new URL('../../dist/cli', import.meta.url), join(dir, 'dist', 'cli'), { recursive: true });
    const r = spawnSync(process.execPath, [join(dir, 'dist', 'cli', 'binfmt.cjs'), 'check', '/bin/ls', '--json'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('ENOENT');
    expect(r.stderr).toMatch(
      /the native addon is not built \(.*binfmt_native\.node is missing\); run `npm run build:native`/,
    );
  });
});

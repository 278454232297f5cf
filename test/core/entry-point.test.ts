/**
 * Finding the file a container's entry point really loads: PATH as runc
 * looks it up, symbolic links inside the root, `#!` lines as the kernel
 * reads them. The root is a table of files and links.
 */
import { describe, expect, it } from 'vitest';
import {
  entryPoint,
  isOwnMachine,
  MAX_REWRITES,
  MAX_SYMLINKS,
  resolveInRoot,
  type RootReader,
} from '../../src/core/entry-point.js';

const enc = (s: string) => new TextEncoder().encode(s);
const ELF = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(8).fill(0), 2, 0, 0xb7, 0]);

interface FakeFile {
  bytes: Uint8Array;
  executable?: boolean;
}
function root(files: Record<string, FakeFile>, links: Record<string, string> = {}): RootReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readlink: (p) => links[p] ?? null,
    head(p, n) {
      reads.push(p);
      const f = files[p];
      return f ? { bytes: f.bytes.subarray(0, n), executable: f.executable ?? true } : null;
    },
  };
}
const PATH = ['HOSTNAME=x', 'PATH=/usr/local/bin:/usr/bin:/bin'];

describe('resolveInRoot', () => {
  const links = { '/bin': 'usr/bin', '/usr/bin/sh': '/usr/bin/dash', '/a': '/b', '/b': '/a', '/up': '../../../etc' };
  const rl = (p: string) => links[p as keyof typeof links] ?? null;
  it('follows relative and absolute links inside the root', () => {
    expect(resolveInRoot('/bin/sh', '/', rl)).toBe('/usr/bin/dash');
    expect(resolveInRoot('bin/./sh', '/', rl)).toBe('/usr/bin/dash');
    expect(resolveInRoot('x', '/work', rl)).toBe('/work/x');
  });
  it('takes an absolute path from the root, whatever the working directory', () => {
    expect(resolveInRoot('/usr/bin/sh', '/work', rl)).toBe('/usr/bin/dash');
    expect(resolveInRoot('../x', '/work/sub', rl)).toBe('/work/x');
  });
  it(`follows ${MAX_SYMLINKS} links in one lookup, and gives up on one more`, () => {
    const chain = (n: number) => (p: string) => {
      const k = /^\/l(\d+)$/.exec(p);
      return k && Number(k[1]) < n ? `/l${Number(k[1]) + 1}` : null;
    };
    expect(resolveInRoot('/l0', '/', chain(MAX_SYMLINKS))).toBe(`/l${MAX_SYMLINKS}`);
    expect(resolveInRoot('/l0', '/', chain(MAX_SYMLINKS + 1))).toBeNull();
  });
  it('stops .. at the root and gives up on a loop', () => {
    expect(resolveInRoot('/up/passwd', '/', rl)).toBe('/etc/passwd');
    expect(resolveInRoot('/../../etc', '/', rl)).toBe('/etc');
    expect(resolveInRoot('/a', '/', rl)).toBeNull();
  });
});

describe('entryPoint', () => {
  it('looks a bare name up through PATH, skipping files without an execute bit', () => {
    const r = root({
      '/usr/local/bin/uname': { bytes: enc('not me'), executable: false },
      '/usr/bin/uname': { bytes: ELF },
    });
    const e = entryPoint(['uname', '-m'], PATH, '/', r);
    expect(e).toEqual({ ok: true, path: '/usr/bin/uname', head: ELF, chain: ['/usr/bin/uname'] });
  });
  it('takes the last PATH of the environment, an empty element meaning the working directory', () => {
    const r = root({ '/w/tool': { bytes: ELF } });
    expect(entryPoint(['tool'], ['PATH=/nope', 'PATH=/x:'], '/w', r)).toMatchObject({ ok: true, path: '/w/tool' });
  });
  it('a name with a slash is used as it is, relative to the working directory', () => {
    const r = root({ '/w/run': { bytes: ELF } });
    expect(entryPoint(['./run'], [], '/w', r)).toMatchObject({ ok: true, path: '/w/run' });
  });
  it('follows #! to the interpreter through links, as the kernel loads it', () => {
    const r = root(
      { '/app/start': { bytes: enc('#!/bin/sh -e\n') }, '/usr/bin/dash': { bytes: ELF } },
      { '/bin': 'usr/bin', '/usr/bin/sh': 'dash' },
    );
    expect(entryPoint(['/app/start'], PATH, '/', r)).toEqual({
      ok: true,
      path: '/usr/bin/dash',
      head: ELF,
      chain: ['/app/start', '/usr/bin/dash'],
    });
  });
  it('follows a script with no newline after its #! line, as the kernel runs it (a zero-filled window)', () => {
    const r = root({ '/app/start': { bytes: enc('#!/usr/bin/dash') }, '/usr/bin/dash': { bytes: ELF } });
    expect(entryPoint(['/app/start'], PATH, '/', r)).toMatchObject({
      ok: true,
      path: '/usr/bin/dash',
      chain: ['/app/start', '/usr/bin/dash'],
    });
  });
  it(`gives up after ${MAX_REWRITES} #! levels, and on a missing interpreter`, () => {
    const loop = root({ '/s': { bytes: enc('#!/s\n') } });
    expect(entryPoint(['/s'], PATH, '/', loop)).toEqual({
      ok: false,
      reason: `/s: more than ${MAX_REWRITES} #! levels`,
    });
    expect(loop.reads).toHaveLength(MAX_REWRITES + 1);
    const missing = root({ '/s': { bytes: enc('#!/nope\n') } });
    expect(entryPoint(['/s'], PATH, '/', missing)).toEqual({
      ok: false,
      reason: '/s: its interpreter /nope is not a file',
    });
  });
  it('says why when there is nothing to run', () => {
    const r = root({});
    expect(entryPoint([], PATH, '/', r)).toEqual({ ok: false, reason: 'process.args is empty' });
    expect(entryPoint(['x'], ['HOME=/'], '/', r)).toEqual({
      ok: false,
      reason: 'x: no PATH in process.env to look it up',
    });
    expect(entryPoint(['x'], PATH, '/', r)).toEqual({
      ok: false,
      reason: 'x: not found in PATH /usr/local/bin:/usr/bin:/bin',
    });
    expect(entryPoint(['/x'], PATH, '/', r)).toEqual({ ok: false, reason: '/x: no such file' });
  });
  it('looks through the PATH of the last PATH= in the environment, from its first directory', () => {
    const r = root({ '/opt/bin/tool': { bytes: ELF }, '/usr/bin/tool': { bytes: ELF } });
    expect(entryPoint(['tool'], ['PATH=/usr/bin', 'PATH=/opt/bin:/usr/bin'], '/', r)).toMatchObject({
      ok: true,
      path: '/opt/bin/tool',
    });
  });
  it('reads one head for a native entry point given by its path', () => {
    const r = root({ '/bin/true': { bytes: ELF } });
    entryPoint(['/bin/true'], PATH, '/', r);
    expect(r.reads).toEqual(['/bin/true']);
  });
});

describe('isOwnMachine', () => {
  const x64 = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(8).fill(0), 2, 0, 62, 0]);
  const i386 = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, ...new Array(8).fill(0), 2, 0, 3, 0]);
  const s390x = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 2, 1, 0, ...new Array(8).fill(0), 0, 2, 0, 22]);
  it("knows this CPU's own programs by e_machine and class, in the head's byte order", () => {
    expect(isOwnMachine(x64, 'x64')).toBe(true);
    expect(isOwnMachine(ELF, 'x64')).toBe(false);
    expect(isOwnMachine(ELF, 'arm64')).toBe(true);
    expect(isOwnMachine(i386, 'x64')).toBe(false);
    expect(isOwnMachine(s390x, 's390x')).toBe(true);
    expect(isOwnMachine(x64.subarray(0, 19), 'x64')).toBe(false);
    expect(isOwnMachine(enc('#!/bin/sh\n'), 'x64')).toBe(false);
    expect(isOwnMachine(x64, 'sparc')).toBe(false);
    // The right e_machine is not enough: the ELF magic and the class must be there too.
    expect(
      isOwnMachine(
        Uint8Array.from(x64, (b, i) => (i === 1 ? 0x46 : b)),
        'x64',
      ),
    ).toBe(false);
    expect(
      isOwnMachine(
        Uint8Array.from(x64, (b, i) => (i === 4 ? 1 : b)),
        'x64',
      ),
    ).toBe(false);
  });
});

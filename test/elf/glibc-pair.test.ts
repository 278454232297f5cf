/**
 * Which glibc release an ld.so or libc.so.6 states, and whether two belong
 * together: this machine's real pair (its ld.so's own `--version` is the
 * oracle), musl's ld.so, and banners written here the way other builds word
 * them (Ubuntu, development snapshots, ld-2.31.so names from before 2.34).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { glibcMismatch, glibcReleaseOf } from '../../src/elf/glibc-pair.js';

const LD = '/lib64/ld-linux-x86-64.so.2';
const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';
const MUSL = '/lib/ld-musl-x86_64.so.1';
const file = (f: string): Uint8Array => Uint8Array.from(readFileSync(f));
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('glibcReleaseOf', () => {
  it("reads this machine's ld.so and libc.so.6 as ld.so --version states them", () => {
    const banner = execFileSync(LD, ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
    const [, build, release] = /^ld\.so \((.*GLIBC .*)\) stable release version (\d+\.\d+)\.$/.exec(banner)!;
    expect(glibcReleaseOf(file(LD), realpathSync(LD))).toEqual({ release, build });
    expect(glibcReleaseOf(file(LIBC), realpathSync(LIBC))).toEqual({ release, build });
  });

  it("musl's ld.so, and a file with no banner, state no glibc release", () => {
    expect(glibcReleaseOf(file(MUSL), MUSL)).toBeNull();
    expect(glibcReleaseOf(latin1('\x7fELF\0nothing here'))).toBeNull();
  });

  it.each([
    [
      'between NULs, with the build in parentheses',
      '\x7fELF\0(Debian GLIBC 9.99-1) x\0GNU C Library (Ubuntu GLIBC 2.39-0ubuntu8.4) stable release version 2.39.\0x',
      { release: '2.39', build: 'Ubuntu GLIBC 2.39-0ubuntu8.4' },
    ],
    [
      'a development snapshot',
      'x\0GNU C Library development release version 2.41.9000.\0',
      { release: '2.41.9000', build: null },
    ],
    [
      'at the very start, without a NUL before or after',
      'ld.so (GNU libc GLIBC 2.36) stable release version 2.36.',
      { release: '2.36', build: 'GNU libc GLIBC 2.36' },
    ],
    [
      'with parentheses that hold no GLIBC build',
      'a\0GNU C Library (GNU libc) stable release version 2.40.\0(GLIBC 1.0)',
      { release: '2.40', build: null },
    ],
    ['at offset 0', 'stable release version 2.36.\0', { release: '2.36', build: null }],
    [
      'after a string that ends in a parenthesis',
      'a\0x(\0GNU C Library GLIBC 2.1) stable release version 2.36.\0',
      { release: '2.36', build: null },
    ],
    ['a version with one number only', 'a\0GNU C Library stable release version 2.\0', null],
    ['the words without a version', 'a\0GNU C Library stable release version x\0', null],
    ['another kind of release', 'GNU C Library beta release version 2.36\0', null],
  ])('a banner %s', (_n, text, out) => {
    expect(glibcReleaseOf(latin1(text))).toEqual(out);
  });

  it.each([
    ['/lib/x86_64-linux-gnu/ld-2.31.so', { release: '2.31', build: null }],
    ['ld-2.28.so', { release: '2.28', build: null }],
    ['/lib/ld-2.17.1.so', { release: '2.17.1', build: null }],
  ])('an ld.so installed as %s states its release by its name', (name, out) => {
    expect(glibcReleaseOf(file(MUSL), name)).toEqual(out);
  });

  it.each(['/lib/xld-2.31.so', '/lib/ld-2.31.so.1', '/lib/ld-linux-x86-64.so.2'])('%s is no such name', (name) => {
    expect(glibcReleaseOf(file(MUSL), name)).toBeNull();
  });
});

describe('glibcMismatch', () => {
  const banner = (v: string) => latin1(`x\0GNU C Library (Debian GLIBC ${v}-1) stable release version ${v}.\0`);
  it('one release pairs; two releases do not, and the message names both files and releases', () => {
    expect(
      glibcMismatch(
        { name: LD, realName: realpathSync(LD), bytes: file(LD) },
        {
          name: LIBC,
          realName: realpathSync(LIBC),
          bytes: file(LIBC),
        },
      ),
    ).toBeNull();
    expect(
      glibcMismatch(
        { name: '/r/ld.so', realName: '/r/ld-2.31.so', bytes: new Uint8Array() },
        {
          name: '/h/libc.so.6',
          realName: '/h/libc.so.6',
          bytes: banner('2.36'),
        },
      ),
    ).toBe(
      'ld.so /r/ld.so is glibc 2.31 but libc.so.6 /h/libc.so.6 is glibc 2.36: ' +
        "glibc's ld.so and libc.so.6 share private interfaces (GLIBC_PRIVATE) and work only as a pair",
    );
  });

  it('a file that is not glibc on either side is no mismatch', () => {
    const glibc = { name: 'libc', realName: 'libc.so.6', bytes: banner('2.36') };
    const musl = { name: 'musl', realName: MUSL, bytes: file(MUSL) };
    expect(glibcMismatch(musl, glibc)).toBeNull();
    expect(glibcMismatch(glibc, musl)).toBeNull();
    expect(glibcMismatch(glibc, { ...glibc, bytes: banner('2.36') })).toBeNull();
  });
});

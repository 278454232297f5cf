import { describe, expect, it } from 'vitest';
import { matchComponent, parseLdSoConf } from '../../src/core/ld-so-conf.js';
import { expandDst, searchDirs } from '../../src/elf/library-search.js';

describe('ld.so.conf parsing', () => {
  it('reads directories, comments and includes (relative to the including file)', () => {
    const text =
      '# c\ninclude /etc/ld.so.conf.d/*.conf\n/usr/local/lib  # trailing\n/opt/a:/opt/b,/opt/c\ninclude more/*.conf\nhwcap 0 nosegneg\n/opt/d=libc6\n';
    expect(parseLdSoConf(text, '/etc/ld.so.conf')).toEqual([
      { kind: 'include', pattern: '/etc/ld.so.conf.d/*.conf' },
      { kind: 'dir', path: '/usr/local/lib' },
      { kind: 'dir', path: '/opt/a' },
      { kind: 'dir', path: '/opt/b' },
      { kind: 'dir', path: '/opt/c' },
      { kind: 'include', pattern: '/etc/more/*.conf' },
      { kind: 'dir', path: '/opt/d' },
    ]);
  });
  it('globs one component like glob(3)', () => {
    expect(matchComponent('libc.conf', '*.conf')).toBe(true);
    expect(matchComponent('libc.conf.dpkg-old', '*.conf')).toBe(false);
    expect(matchComponent('.hidden.conf', '*.conf')).toBe(false);
    expect(matchComponent('a+b.conf', 'a+b.conf')).toBe(true);
  });
});

describe('library search order', () => {
  const exe = { dir: '/opt/app/bin', rpath: '/exe-rpath', runpath: null };
  it("uses RPATH (own, then the executable's) only without RUNPATH, then RUNPATH, conf dirs, system dirs", () => {
    const lib = { dir: '/opt/app/lib', rpath: '$ORIGIN/../rp', runpath: null };
    expect(searchDirs(lib, exe, ['/conf'], 62).slice(0, 3)).toEqual(['/opt/app/rp', '/exe-rpath', '/conf']);
    const withRunpath = { dir: '/opt/app/lib', rpath: '/ignored', runpath: '${ORIGIN}/x' };
    const dirs = searchDirs(withRunpath, exe, [], 62);
    expect(dirs[0]).toBe('/opt/app/lib/x');
    expect(dirs).not.toContain('/ignored');
    expect(dirs).not.toContain('/exe-rpath');
    expect(dirs).toContain('/usr/lib/x86_64-linux-gnu');
  });
  it('expands $ORIGIN, $LIB and $PLATFORM', () => {
    expect(expandDst('$ORIGIN/../lib:$LIB:/p/$PLATFORM', '/a/b', 62)).toEqual([
      '/a/lib',
      'lib/x86_64-linux-gnu',
      '/p/x86_64',
    ]);
  });
});

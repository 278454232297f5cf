/** ld.so's library search order: the $ORIGIN/$LIB/$PLATFORM expansion and the directories, for both x86 machines. */
import { describe, expect, it } from 'vitest';
import { expandDst, searchDirs, SYSTEM_DIRS } from '../../src/elf/library-search.js';
import { EM_386, EM_X86_64 } from '../../src/elf/machine.js';

describe('library search on both x86 machines', () => {
  it('i386 expands $LIB to lib and $PLATFORM to i686, and searches its multiarch directories', () => {
    expect(expandDst('${LIB}:$PLATFORM::/x/./y/', '/o', EM_386)).toEqual(['lib', 'i686', '/x/y/']);
    const none = { dir: '/d', rpath: null, runpath: null };
    expect(searchDirs(none, none, [], EM_386)).toEqual(SYSTEM_DIRS[EM_386]);
    expect(searchDirs(none, none, ['/c'], EM_X86_64, ['/lp'])).toEqual(['/lp', '/c', ...SYSTEM_DIRS[EM_X86_64]!]);
    expect(searchDirs(none, none, [], 183)).toEqual(['/lib', '/usr/lib']);
  });

  it("the executable's RPATH is not used twice, nor when the executable has a RUNPATH", () => {
    const exe = { dir: '/e', rpath: '/erp', runpath: null };
    expect(searchDirs(exe, exe, [], EM_X86_64)[0]).toBe('/erp');
    expect(searchDirs(exe, exe, [], EM_X86_64).filter((d) => d === '/erp')).toHaveLength(1);
    const lib = { dir: '/l', rpath: null, runpath: null };
    expect(searchDirs(lib, { ...exe, runpath: '/erun' }, [], EM_X86_64)).not.toContain('/erp');
    expect(searchDirs(lib, exe, [], EM_X86_64)[0]).toBe('/erp');
  });
});

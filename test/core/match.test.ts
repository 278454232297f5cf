import { describe, expect, it } from 'vitest';
import { matchEntry, interpreterArgv, execWindow, pathExtension } from '../../src/core/match.js';
import { entry } from '../helpers/entry.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('matchEntry (search_binfmt_handler)', () => {
  it('prefers the newest enabled entry, skipping disabled ones', () => {
    const newest = entry(':third:M::AB::/3:');
    const middle = entry(':second:M::AB::/2:');
    const oldest = entry(':first:M::AB::/1:');
    const t = { path: '/x', head: bytes('ABC') };
    expect(matchEntry([newest, middle, oldest], t)?.name).toBe('third');
    expect(matchEntry([{ ...newest, enabled: false }, middle, oldest], t)?.name).toBe('second');
    expect(matchEntry([newest], t, false)).toBeNull();
  });

  it('compares magic & mask, ignoring magic bits outside the mask', () => {
    const e = entry(':m:M::\\x03:\\xfe:/i:');
    expect(matchEntry([e], { path: '/x', head: bytes('\x02') })?.name).toBe('m');
    expect(matchEntry([e], { path: '/x', head: bytes('\x03') })?.name).toBe('m');
    expect(matchEntry([e], { path: '/x', head: bytes('\x05') })).toBeNull();
  });

  it('sees a zero-filled 256-byte window: a short file matches trailing \\x00', () => {
    const e = entry(':z:M::AB\\x00\\x00::/i:');
    expect(matchEntry([e], { path: '/x', head: bytes('AB') })?.name).toBe('z');
    expect(execWindow(bytes('AB')).length).toBe(256);
    const far = entry(':far:M:255:\\x00::/i:');
    expect(matchEntry([far], { path: '/x', head: bytes('A') })?.name).toBe('far');
  });

  it('matches extensions on the exec path string, case-sensitively, after the last dot', () => {
    const e = entry(':gz:E::gz::/i:');
    expect(matchEntry([e], { path: 'a.tar.gz', head: bytes('') })?.name).toBe('gz');
    expect(matchEntry([e], { path: 'a.GZ', head: bytes('') })).toBeNull();
    expect(matchEntry([e], { path: '/dir.gz/file', head: bytes('') })).toBeNull();
    expect(pathExtension('/dev/fd/3')).toBeNull();
    expect(matchEntry([entry(':t:E::tar.gz::/i:')], { path: 'a.tar.gz', head: bytes('') })).toBeNull();
  });
});

describe('interpreterArgv (load_misc_binary)', () => {
  it('drops argv[0] without P and keeps it with P; O does not change argv', () => {
    expect(interpreterArgv(entry(':a:E::x::/i:'), './p.x', ['zz', 'a1'])).toEqual(['/i', './p.x', 'a1']);
    expect(interpreterArgv(entry(':a:E::x::/i:P'), './p.x', ['zz', 'a1'])).toEqual(['/i', './p.x', 'zz', 'a1']);
    expect(interpreterArgv(entry(':a:E::x::/i:O'), './p.x', ['zz', 'a1'])).toEqual(['/i', './p.x', 'a1']);
  });
});

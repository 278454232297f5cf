/**
 * What the safety guards say, and where each stops applying: every message
 * names the entry's own interpreter or field and the consequence the kernel
 * gives (ELOOP for a self-match, ENOEXEC for an O/C #! interpreter), and each
 * guard is silent just outside its condition.
 */
import { describe, expect, it } from 'vitest';
import { lintEntry, type Probe } from '../../src/core/entry-lint.js';
import { canonical } from '../../src/core/register-format.js';
import { parseLdSoConf } from '../../src/core/ld-so-conf.js';
import { entry } from '../helpers/entry.js';

const said = (line: string, probe: Probe = {}): string[] =>
  lintEntry(entry(line), probe).map((d) => `${d.code}|${d.field}|${d.message}`);
const elf = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
const script = Uint8Array.from(Buffer.from('#!/bin/sh\n'));
const interp = (head: Uint8Array, over: Partial<NonNullable<Probe['interpreter']>> = {}): Probe => ({
  interpreter: { head, ptInterp: null, setuid: false, ...over },
});

describe('lintEntry messages', () => {
  it('refusals', () => {
    expect(said(':s:M::\\x7fELF::/opt/i:', interp(elf))).toEqual([
      'self-match|entry|the interpreter /opt/i matches this entry itself: every exec it serves fails with ELOOP',
    ]);
    expect(said(':s:E::x::/opt/i:O', interp(script))).toEqual([
      'open-binary-script|flags|flags: with O the interpreter must be a binary, but /opt/i is a #! script: every exec it serves fails with ENOEXEC',
    ]);
    expect(said(':s:E::x::/opt/i:C', interp(script))[0]).toBe(
      'open-binary-script|flags|flags: with C (which implies O) the interpreter must be a binary, but /opt/i is a #! script: every exec it serves fails with ENOEXEC',
    );
    // '#' alone, or '!' first, is not a #! script
    expect(said(':s:E::x::/opt/i:O', interp(Uint8Array.from([0x23, 0x20])))).toEqual([]);
    expect(said(':s:E::x::/opt/i:O', interp(Uint8Array.from([0x21, 0x21])))).toEqual([]);
    expect(said(':n:M::\\x7fELF::/opt/i:', { natives: [{ path: '/bin/sh', head: elf }] })).toEqual([
      "captures-native|entry|matches this machine's native executable /bin/sh: every such exec would go through /opt/i",
    ]);
  });

  it('warnings', () => {
    expect(said(':c:M::AB::/opt/i:C')).toEqual([
      'credentials|flags|flags: C runs the interpreter with the credentials (setuid/setgid, capabilities) of the matched file',
    ]);
    expect(said(':c:E::x::/opt/i:C')).toEqual([
      'credentials-extension|flags|flags: C runs the interpreter with the credentials of the file; with an extension entry, renaming any setuid program to match grants its privileges to the interpreter',
    ]);
    expect(said(':f:E::x::/opt/i:F', interp(elf, { ptInterp: '/lib/ld.so' }))).toEqual([
      'fix-binary-dynamic|flags|flags: F pins only /opt/i, which is dynamically linked (PT_INTERP /lib/ld.so): it will not run in chroots or containers that lack that ld.so',
    ]);
    expect(said(':f:E::x::/opt/i:', interp(elf, { ptInterp: '/lib/ld.so' }))).toEqual([]);
    expect(said(':f:E::x::/opt/i:F', interp(elf))).toEqual([]);
    expect(said(':r:E::x::bin/i:')).toEqual([
      "interpreter-relative|interpreter|interpreter: 'bin/i' is relative: resolved against the cwd of every exec",
    ]);
    expect(said(':r:E::x::bin/i:F')).toEqual([
      "interpreter-relative|interpreter|interpreter: 'bin/i' is relative: resolved against the registering process's cwd now",
    ]);
    expect(said(':u:E::x::/opt/i:', interp(elf, { setuid: true }))).toEqual([
      'setuid-interpreter|interpreter|interpreter: is setuid, and without C every matched file runs with its privileges',
    ]);
    expect(said(':u:E::x::/opt/i:C', interp(elf, { setuid: true })).map((s) => s.split('|')[0])).toEqual([
      'credentials-extension',
    ]);
    expect(said(':d:E::tar.gz::/opt/i:')).toEqual([
      "extension-dot|extension|extension: 'tar.gz' contains '.', and the kernel compares only what follows the last '.' of a path: it can never match",
    ]);
    expect(said(':m:M::\\x03:\\xfe:/opt/i:')).toEqual([
      'magic-outside-mask|magic|magic: has bits outside the mask; the kernel ignores them (magic & mask is what matches)',
    ]);
    expect(said(':m:M::\\x02\\x10:\\xfe\\xff:/opt/i:')).toEqual([]);
    expect(said(':m:M::\\x03\\x10:\\xff\\x0f:/opt/i:').map((s) => s.split('|')[0])).toEqual(['magic-outside-mask']);
    expect(said(':sp ace:E::x::/opt/i:')).toEqual([
      'name-spaces|name|name: contains white space or control characters',
    ]);
    expect(said(':ünï:E::x::/opt/i:')).toEqual([
      'name-untidy|name|name: prefer at most 64 characters from [A-Za-z0-9._+-]',
    ]);
    expect(said(`:${'n'.repeat(64)}:E::x::/opt/i:`)).toEqual([]);
    expect(said(`:${'n'.repeat(65)}:E::x::/opt/i:`).map((s) => s.split('|')[0])).toEqual(['name-untidy']);
    expect(said(':a-b.c_d+e:E::x::/opt/i:')).toEqual([]);
    expect(said(':x!:E::x::/opt/i:').map((s) => s.split('|')[0])).toEqual(['name-untidy']);
    expect(said(':!x:E::x::/opt/i:').map((s) => s.split('|')[0])).toEqual(['name-untidy']);
  });
});

describe('canonical', () => {
  it('is the register string, whether the entry is enabled or not', () => {
    const e = entry(':c:M:2:AB:\\xff\\x0f:/i:PF');
    expect(canonical(e)).toBe(':c:M:2:AB:\\xff\\x0f:/i:PF');
    expect(canonical({ ...e, enabled: false })).toBe(canonical({ ...e, enabled: true }));
  });
});

describe('parseLdSoConf, line by line as ldconfig reads it', () => {
  it.each([
    ['/a # /b', ['dir /a']],
    ['# /a', []],
    ['   ', []],
    ['/a\t/b', ['dir /a', 'dir /b']],
    ['/a::/b,,/c', ['dir /a', 'dir /b', 'dir /c']],
    ['relative/dir /abs', ['dir /abs']],
    ['/x/../y/./z', ['dir /y/z']],
    ['/d=libc5', ['dir /d']],
    ['hwcap 0 nosegneg', []],
    ['hwcapx /h', ['dir /h']],
    ['include  a.conf   /b/*.conf', ['include /etc/a.conf', 'include /b/*.conf']],
    ['include', []],
    ['includes /i', ['dir /i']],
    ['xinclude /i', ['dir /i']],
  ])('%j → %j', (line, want) => {
    expect(
      parseLdSoConf(line, '/etc/ld.so.conf').map((e) => (e.kind === 'dir' ? `dir ${e.path}` : `include ${e.pattern}`)),
    ).toEqual(want);
  });
});

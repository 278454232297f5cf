import { describe, expect, it } from 'vitest';
import { lintEntry } from '../../src/core/entry-lint.js';
import { entry } from '../helpers/entry.js';

const codes = (line: string, probe = {}): string[] =>
  lintEntry(entry(line), probe).map((d) => `${d.severity}:${d.code}`);
const elf64 = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(248).fill(0)]);

describe('safety guards', () => {
  it('refuses an entry that captures a native executable or its own interpreter', () => {
    const natives = [{ path: '/bin/sh', head: elf64 }];
    expect(
      codes(':elf:M::\\x7fELF\\x02::/opt/i:', { natives, interpreter: { head: elf64, ptInterp: null, setuid: false } }),
    ).toEqual(expect.arrayContaining(['error:captures-native', 'error:self-match']));
    expect(
      codes(':ok:M::\\x7fELF\\x01::/opt/i:', { natives, interpreter: { head: elf64, ptInterp: null, setuid: false } }),
    ).toEqual([]);
  });

  it('refuses O with a #! script interpreter (ENOEXEC), allows it without O', () => {
    const script = { head: Uint8Array.from(Buffer.from('#!/bin/sh\n')), ptInterp: null, setuid: false };
    expect(codes(':s:E::x::/opt/i:O', { interpreter: script })).toContain('error:open-binary-script');
    expect(codes(':s:E::x::/opt/i:C', { interpreter: script })).toContain('error:open-binary-script');
    expect(codes(':s:E::x::/opt/i:P', { interpreter: script })).toEqual([]);
  });

  it('warns on C, most of all with an extension entry', () => {
    expect(codes(':c:M::AB::/opt/i:C')).toEqual(['warning:credentials']);
    expect(codes(':c:E::x::/opt/i:C')).toEqual(['warning:credentials-extension']);
  });

  it('warns on F with a dynamically linked interpreter, relative and setuid interpreters', () => {
    expect(
      codes(':f:E::x::/opt/i:F', {
        interpreter: { head: elf64, ptInterp: '/lib64/ld-linux-x86-64.so.2', setuid: false },
      }),
    ).toEqual(['warning:fix-binary-dynamic']);
    expect(codes(':r:E::x::bin/i:')).toEqual(['warning:interpreter-relative']);
    expect(codes(':u:E::x::/opt/i:', { interpreter: { head: elf64, ptInterp: null, setuid: true } })).toEqual([
      'warning:setuid-interpreter',
    ]);
  });

  it('warns on a dotted extension, magic bits outside the mask, and odd names', () => {
    expect(codes(':d:E::tar.gz::/opt/i:')).toEqual(['warning:extension-dot']);
    expect(codes(':m:M::\\x03:\\xfe:/opt/i:')).toEqual(['warning:magic-outside-mask']);
    expect(codes(':sp ace:E::x::/opt/i:')).toEqual(['warning:name-spaces']);
    expect(codes(':ünï:E::x::/opt/i:')).toEqual(['warning:name-untidy']);
  });
});

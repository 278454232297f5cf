import { describe, expect, it } from 'vitest';
import { execChain, scriptLine, type HeadOf } from '../../src/core/exec-chain.js';
import { parseRegister } from '../../src/core/register-parse.js';
import type { Entry } from '../../src/core/entry.js';

const entry = (line: string): Entry => {
  const r = parseRegister(line);
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return r.entry;
};
const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const files =
  (map: Record<string, string>): HeadOf =>
  (p) =>
    p in map ? bytes(map[p]!) : { errno: 'ENOENT' };

describe('scriptLine reads a #! line as load_script does', () => {
  it('takes the name and one optional argument, spaces inside kept', () => {
    expect(scriptLine(bytes('#! /bin/sh -e -x \nrest'))).toEqual({ name: '/bin/sh', arg: '-e -x' });
    expect(scriptLine(bytes('#!/bin/sh\n'))).toEqual({ name: '/bin/sh', arg: null });
    expect(scriptLine(bytes('#!   \n'))).toBeNull();
    expect(scriptLine(bytes('ELF'))).toBeNull();
  });
});

describe('execChain follows the interpreters as exec_binprm does', () => {
  it('passes each path on, and fails the sixth rewrite with ELOOP', () => {
    const entries = [1, 2, 3, 4, 5, 6].map((k) => entry(`:k${k}:M::C${k}::/c${k + 1}:`)).reverse();
    const heads = files({ '/c2': 'C2', '/c3': 'C3', '/c4': 'C4', '/c5': 'C5', '/c6': 'C6', '/c7': '\x7fELF' });
    const five = execChain(entries, { path: '/c2', head: bytes('C2') }, ['zz', 'a'], heads);
    expect([five.errno, five.argv]).toEqual([null, ['/c7', '/c6', '/c5', '/c4', '/c3', '/c2', 'a']]);
    const six = execChain(entries, { path: '/c1', head: bytes('C1') }, ['zz', 'a'], heads);
    expect([six.errno, six.argv, six.steps.length, six.failed?.entry?.name]).toEqual(['ELOOP', null, 5, 'k6']);
  });

  it('fails any rewrite after an O entry with ENOEXEC, a missing interpreter with its errno', () => {
    const o = [entry(':o:E::x::/s:O')];
    expect(
      execChain(o, { path: 'f.x', head: bytes('') }, ['f'], files({ '/s': '#!/bin/sh\n', '/bin/sh': '\x7fELF' })).errno,
    ).toBe('ENOEXEC');
    const p = [entry(':p:E::x::/s:P')];
    const ok = execChain(
      p,
      { path: 'f.x', head: bytes('') },
      ['f'],
      files({ '/s': '#!/bin/sh -u\n', '/bin/sh': '\x7fELF' }),
    );
    expect([ok.errno, ok.argv]).toEqual([null, ['/bin/sh', '-u', '/s', 'f.x', 'f']]);
    expect(execChain(p, { path: 'f.x', head: bytes('') }, ['f'], files({})).errno).toBe('ENOENT');
  });
});

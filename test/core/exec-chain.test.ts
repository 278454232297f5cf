import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execChain, scriptLine, type HeadOf } from '../../src/core/exec-chain.js';
import { BINPRM_BUF_SIZE } from '../../src/core/limits.js';
import { command, needs } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';
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
    expect(scriptLine(bytes('#/bin/sh\n'))).toBeNull();
    expect(scriptLine(bytes('#! \t/usr/bin/env python3\n'))).toEqual({ name: '/usr/bin/env', arg: 'python3' });
  });

  it('reads the window as the kernel does: zero-filled, so a short file needs no newline', () => {
    expect(scriptLine(bytes('#!/bin/sh'))).toEqual({ name: '/bin/sh', arg: null });
    expect(scriptLine(bytes('#!/bin/sh -e'))).toEqual({ name: '/bin/sh', arg: '-e' });
    expect(scriptLine(bytes('#!/bin/sh\0junk\n'))).toEqual({ name: '/bin/sh', arg: null });
    // A name that fills the window is cut off: refused.
    expect(scriptLine(bytes(`#!/${'x'.repeat(BINPRM_BUF_SIZE)}`))).toBeNull();
  });
});

/**
 * execve(2) itself, with no retry: execvp (and so node's spawn, perl's exec
 * and a shell's exec) runs a file the kernel refused with /bin/sh instead.
 */
const EXECV = `import errno, os, sys
try:
    os.execv(sys.argv[1], [sys.argv[1]])
except OSError as e:
    print("errno " + errno.errorcode[e.errno])`;

describe(
  'scriptLine against the running kernel, at the edges of the exec window',
  needs(command('python3', '-V')),
  () => {
    const x = (n: number): string => 'x'.repeat(n);
    // Each script runs /bin/echo, which prints what the kernel passed it: the argument, then the script's path.
    it.each([
      ['a first line of exactly the window, no newline: it ends before the last byte', `#!/bin/echo ${x(243)}Z`],
      ['the same window with more after it', `#!/bin/echo ${x(243)}Z${x(40)}\n`],
      ['spaces up to the last byte of the window: no argument', `#!/bin/echo${' '.repeat(244)}Z`],
      ['a name that runs past the window: refused', `#!/bin/${x(249)}`],
      ['a name ended by a space in the last byte of the window', `#!${x(253)} `],
      ['only spaces and tabs in the window: refused', `#!${' \t'.repeat(127)}`],
      ['a short file without a newline (zero-filled)', '#!/bin/echo abc'],
      ['a short file of just the #! line, no newline', '#!/bin/echo'],
      ['a NUL ends the argument', '#!/bin/echo ab\0cd\n'],
      ['tabs around the name and argument, inner spaces kept', '#!\t/bin/echo\t a  b \t\n'],
    ])('%s', (_what, text) => {
      const dir = tempDir('script-');
      const script = join(dir, 's');
      const head = bytes(text);
      writeFileSync(script, head);
      chmodSync(script, 0o755);
      const line = scriptLine(head.subarray(0, BINPRM_BUF_SIZE));
      const ran = spawnSync('python3', ['-S', '-c', EXECV, script], { encoding: 'utf8', cwd: dir });
      const predicted =
        line === null
          ? 'errno ENOEXEC\n'
          : line.name === '/bin/echo'
            ? `${[line.arg, script].filter((a) => a !== null).join(' ')}\n`
            : 'errno ENOENT\n';
      expect(ran.stdout).toBe(predicted);
    });
  },
);

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

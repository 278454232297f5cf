/**
 * Hostile ld.so files and programs: each gives exactly one line on stderr,
 * "binfmt-loader: PROGRAM: ...cause", and exit status 127. Never a crash,
 * never a hang. The files are made from the real ld.so by editing one field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GLIBC_LDSO, LOADER, buildFixtures, fixture, run } from './helpers.js';
import { parseElf64, writePhdr } from '../../src/elf/elf64.js';
import { PT_LOAD, type ProgramHeader } from '../../src/elf/program-headers.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('binfmt-hostile-');
const real = readFileSync(GLIBC_LDSO);
const { header: h, phdrs } = parseElf64(real, GLIBC_LDSO);
const loads = phdrs.map((p, i) => ({ p, i })).filter(({ p }) => p.type === PT_LOAD);

function edit(f: (b: Buffer) => void): Buffer {
  const b = Buffer.from(real);
  f(b);
  return b;
}
function editLoad(n: number, change: (p: ProgramHeader) => void): Buffer {
  return edit((b) => {
    const { p, i } = loads[n]!;
    const q = { ...p };
    change(q);
    writePhdr(b, h, i, q);
  });
}

const LDSO_CASES: [string, Buffer | null, RegExp][] = [
  ['truncated inside the program headers', real.subarray(0, 100), /truncated file/],
  ['truncated inside a segment', real.subarray(0, 0x2000), /truncated file/],
  ['empty', Buffer.alloc(0), /truncated file/],
  ['not ELF', Buffer.from('#!/bin/sh\necho not an ld.so\n'), /not an ELF file/],
  ['wrong class (ELFCLASS32)', edit((b) => (b[4] = 1)), /wrong ELF class/],
  ['wrong byte order', edit((b) => (b[5] = 2)), /wrong byte order/],
  ['wrong machine (aarch64)', edit((b) => b.writeUInt16LE(183, 18)), /wrong machine/],
  ['an executable (ET_EXEC)', edit((b) => b.writeUInt16LE(2, 16)), /not an ld.so/],
  ['phnum 0', edit((b) => b.writeUInt16LE(0, 56)), /no program headers, or too many/],
  ['phnum 65535', edit((b) => b.writeUInt16LE(65535, 56)), /no program headers, or too many/],
  ['bad phentsize', edit((b) => b.writeUInt16LE(32, 54)), /bad program header size/],
  ['huge p_memsz (2^60)', editLoad(3, (p) => (p.memsz = 2 ** 60)), /bad segment size or address/],
  [
    'p_memsz beyond any free address range',
    editLoad(3, (p) => (p.memsz = 0x7f00_0000_0000)),
    /no room to map|cannot map bss/,
  ],
  ['p_filesz > p_memsz', editLoad(1, (p) => (p.filesz = p.memsz + 1)), /bad segment size or address/],
  ['overlapping segments', editLoad(1, (p) => ((p.vaddr = 0), (p.offset = 0))), /overlapping or unordered segments/],
  [
    'segments out of order',
    editLoad(3, (p) => ((p.vaddr = 0x1000), (p.offset = 0x1000))),
    /overlapping or unordered segments/,
  ],
  ['unaligned segment', editLoad(2, (p) => (p.vaddr += 1)), /misaligned segment/],
  ['p_align beyond every user address (2^48)', editLoad(0, (p) => (p.align = 2 ** 48)), /misaligned segment/],
  [
    'segment past the end of the file',
    editLoad(3, (p) => ((p.filesz = real.length), (p.memsz = real.length))),
    /truncated file/,
  ],
  [
    'entry point outside the code',
    edit((b) => b.writeBigUInt64LE(0x10n, 24)),
    /entry point outside the executable segments/,
  ],
  [
    'no PT_LOAD',
    edit((b) => loads.forEach(({ p, i }) => writePhdr(b, h, i, { ...p, type: 0x70000000 }))),
    /no loadable segment/,
  ],
];

beforeAll(buildFixtures);

function expectOneLine(
  r: { status: number | null; stderr: string; stdout: string },
  program: string,
  cause: RegExp,
): void {
  expect(r.status).toBe(127);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]!.startsWith(`binfmt-loader: ${program}: `)).toBe(true);
  expect(lines[0]).toMatch(cause);
}

describe('hostile ld.so files', () => {
  for (const [name, bytes, cause] of LDSO_CASES) {
    it(`${name}: one line naming the program and the cause, exit 127`, () => {
      const file = join(tmp, name.replace(/\W+/g, '-'));
      writeFileSync(file, bytes!);
      const r = run([LOADER, '--ld', file, '--', './probe']);
      expectOneLine(r, './probe', cause);
      expect(r.stderr).toContain(`ld.so ${file}: `);
    });
  }

  it('a missing ld.so, a directory, a program with PT_INTERP, a bad fd', () => {
    expectOneLine(
      run([LOADER, '--ld', join(tmp, 'missing'), '--', './probe']),
      './probe',
      /ld.so \S+missing: cannot open: ENOENT$/,
    );
    expectOneLine(run([LOADER, '--ld', tmp, '--', './probe']), './probe', /not a regular file$/);
    expectOneLine(run([LOADER, '--ld', fixture('probe'), '--', './probe']), './probe', /not an ld.so/);
    expectOneLine(run([LOADER, '--ld-fd', '99', '--', './probe']), './probe', /ld.so ld.so: cannot stat: EBADF$/);
    expectOneLine(
      run([LOADER, '--ld-fd', 'x', '--', './probe']),
      '(no program)',
      /option --ld-fd: not a file descriptor$/,
    );
  });
});

describe('hostile programs', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['truncated', readFileSync(fixture('probe-static')).subarray(0, 5000), /truncated file$/],
    ['not ELF', Buffer.from('plain text\n'), /not an ELF file$/],
    [
      'wrong machine',
      (() => {
        const b = Buffer.from(readFileSync(fixture('probe')));
        b.writeUInt16LE(40, 18);
        return b;
      })(),
      /wrong machine$/,
    ],
    [
      'bad PT_INTERP',
      (() => {
        const b = Buffer.from(readFileSync(fixture('probe')));
        const ph = parseElf64(b, 'probe').phdrs;
        const i = ph.findIndex((p) => p.type === 3);
        b[ph[i]!.offset + ph[i]!.filesz - 1] = 0x41; // no terminating NUL
        return b;
      })(),
      /bad PT_INTERP$/,
    ],
  ];
  for (const [name, bytes, cause] of cases) {
    it(`${name}: one line, exit 127`, () => {
      const file = join(tmp, `prog-${name.replace(/\W+/g, '-')}`);
      writeFileSync(file, bytes, { mode: 0o755 });
      expectOneLine(run([LOADER, '--', file]), file, cause);
    });
  }
  it('a FIFO as program or as ld.so fails at once instead of hanging', () => {
    const fifo = join(tmp, 'fifo');
    expect(run(['mkfifo', fifo]).status).toBe(0);
    expectOneLine(run([LOADER, '--', fifo]), fifo, /cannot read: ESPIPE$/);
    expectOneLine(run([LOADER, '--ld', fifo, '--', './probe']), './probe', /ld.so \S+fifo: not a regular file$/);
  });

  it('a missing program', () => {
    expectOneLine(run([LOADER, '--', join(tmp, 'nothing')]), join(tmp, 'nothing'), /cannot open: ENOENT$/);
  });
});

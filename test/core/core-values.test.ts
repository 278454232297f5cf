/**
 * The small value functions of the core, each with the rule it follows:
 * field differences and how a plan shows them, the kernel steps of a plan
 * and their undo, temporary names, the delimiter choice of formatRegister,
 * hex and flag helpers, and the $ORIGIN/$LIB expansion of the library search
 * for both x86 machines.
 */
import { describe, expect, it } from 'vitest';
import { describeDifference, entryDifferences } from '../../src/core/entry-diff.js';
import { isTemporaryName, kernelSteps, temporaryName, undoStep } from '../../src/core/kernel-steps.js';
import { DELIMITERS, formatRegister } from '../../src/core/register-format.js';
import { canonicalFlags, fromHex, toHex, type Entry } from '../../src/core/entry.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { expandDst, searchDirs, SYSTEM_DIRS } from '../../src/elf/library-search.js';
import { EM_386, EM_X86_64 } from '../../src/elf/machine.js';

const entry = (line: string): Entry => {
  const r = parseRegister(line);
  if (!r.ok) throw new Error(line);
  return r.entry;
};

describe('entryDifferences and describeDifference', () => {
  it('compares every field but name and enabled', () => {
    const a = entry(':a:M:1:AB:\\xff\\xf0:/i:P');
    expect(entryDifferences(a, { ...a, name: 'other', enabled: false })).toEqual([]);
    expect(entryDifferences(a, entry(':b:M:2:AC::/j:PF'))).toEqual([
      { field: 'interpreter', a: '/i', b: '/j' },
      { field: 'flags', a: 'P', b: 'PF' },
      { field: 'offset', a: 1, b: 2 },
      { field: 'magic', a: '4142', b: '4143' },
      { field: 'mask', a: 'fff0', b: null },
    ]);
    expect(entryDifferences(entry(':e:E::x::/i:'), entry(':e:E::y::/i:'))).toEqual([
      { field: 'extension', a: 'x', b: 'y' },
    ]);
    // different types: the type, then only the fields both have
    expect(entryDifferences(entry(':e:E::x::/i:'), a)).toEqual([
      { field: 'type', a: 'extension', b: 'magic' },
      { field: 'flags', a: '', b: 'P' },
    ]);
  });

  it('says which side has what, and (none) for nothing', () => {
    expect(describeDifference({ field: 'flags', a: 'OP', b: 'OPF' }, 'kernel has', 'config has')).toBe(
      'flags: kernel has OP, config has OPF',
    );
    expect(describeDifference({ field: 'mask', a: null, b: 'ff' })).toBe('mask: expected (none), got ff');
    expect(describeDifference({ field: 'flags', a: '', b: 'P' })).toBe('flags: expected (none), got P');
    expect(describeDifference({ field: 'offset', a: 0, b: 3 })).toBe('offset: expected 0, got 3');
  });
});

describe('kernelSteps', () => {
  const change = { kind: 'change', name: 'x', from: 'old', to: 'new', source: 'a.conf:3', adopt: false } as const;

  it('says why each step is taken, for adds, removals, changes and moves', () => {
    const steps = kernelSteps<string>(
      [
        { kind: 'add', name: 'n', to: 'd', source: 'a.conf:1' },
        { kind: 'unchanged', name: 'u', def: 'd', source: 'a.conf:2', adopt: false },
        { ...change, reason: 'definition' },
        { ...change, name: 'y', reason: 'order' },
        { kind: 'conflict', name: 'c', from: 'a', to: 'b', source: 'a.conf:4' },
        { kind: 'remove', name: 'r', from: 'd' },
      ],
      ['x', 'y', 'r', 'u'],
    );
    expect(steps.map((s) => `${s.op} ${s.name} ${s.def}: ${s.why}`)).toEqual([
      'register n d: add n (a.conf:1)',
      'register x.binfmt-tmp new: change x (a.conf:3): new definition under x.binfmt-tmp',
      'remove x old: change x (a.conf:3): old definition',
      'register x new: change x (a.conf:3): new definition',
      'remove x.binfmt-tmp new: change x (a.conf:3): drop x.binfmt-tmp',
      'register y.binfmt-tmp new: move y (a.conf:3): new definition under y.binfmt-tmp',
      'remove y old: move y (a.conf:3): old definition',
      'register y new: move y (a.conf:3): new definition',
      'remove y.binfmt-tmp new: move y (a.conf:3): drop y.binfmt-tmp',
      'remove r d: remove r (no longer configured)',
    ]);
  });

  it('undo swaps register and remove, keeps name and definition', () => {
    expect(undoStep({ op: 'register', name: 'a', def: 1, why: 'w' })).toEqual({
      op: 'remove',
      name: 'a',
      def: 1,
      why: 'undo: w',
    });
    expect(undoStep({ op: 'remove', name: 'a', def: 1, why: 'w' })).toEqual({
      op: 'register',
      name: 'a',
      def: 1,
      why: 'undo: w',
    });
  });

  it('temporary names: next free suffix, hashed when the name is long, and recognised', () => {
    expect(temporaryName('x', new Set())).toBe('x.binfmt-tmp');
    expect(temporaryName('x', new Set(['x.binfmt-tmp', 'x.binfmt-tmp-2']))).toBe('x.binfmt-tmp-3');
    const fits = 'n'.repeat(255 - '.binfmt-tmp'.length - 4);
    expect(temporaryName(fits, new Set())).toBe(`${fits}.binfmt-tmp`);
    const long = `${fits}n`;
    const t = temporaryName(long, new Set());
    expect(t).toMatch(/^[0-9a-f]{8}\.binfmt-tmp$/);
    expect(temporaryName(long, new Set())).toBe(t);
    expect(temporaryName(`${fits}m`, new Set())).not.toBe(t);
    // NAME_MAX counts bytes: 122 two-byte characters do not fit with the suffix
    expect(temporaryName('é'.repeat(122), new Set())).toMatch(/^[0-9a-f]{8}\.binfmt-tmp$/);
    expect(temporaryName('é'.repeat(118), new Set())).toBe(`${'é'.repeat(118)}.binfmt-tmp`);
    for (const n of ['x.binfmt-tmp', 'x.binfmt-tmp-2', 'x.binfmt-tmp-10', t]) expect(isTemporaryName(n)).toBe(true);
    for (const n of ['x', 'x.binfmt-tmp-', 'x.binfmt-tmpx', 'x.binfmt-tmp-2a', 'binfmt-tmp'])
      expect(isTemporaryName(n)).toBe(false);
  });
});

describe('formatRegister', () => {
  it("':' unless a field holds it, then the next delimiter in order", () => {
    expect(formatRegister(entry(':a:E::x::/i:P'))).toBe(':a:E::x::/i:P');
    expect(formatRegister(entry('|a:b|E||x||/i|'))).toBe('|a:b|E||x||/i|');
    expect(formatRegister(entry('!a:b|c,d!E!!x!!/i!'))).toBe('!a:b|c,d!E!!x!!/i!');
    expect(formatRegister(entry(':m:M:3:AB:\\xff\\x0f:/i:F'))).toBe(':m:M:3:AB:\\xff\\x0f:/i:F');
    expect(formatRegister(entry(':m:M::AB::/i:'))).toBe(':m:M::AB::/i:');
  });

  it('refuses an entry whose fields use every delimiter, and a delimiter that occurs in a field', () => {
    const all = { ...entry(':a:E::x::/i:'), interpreter: `/i${DELIMITERS.join('')}` };
    expect(() => formatRegister(all)).toThrow(BinfmtError);
    expect(() => formatRegister(all)).toThrow(
      `entry 'a': its name, interpreter and extension use every usable delimiter`,
    );
    expect(() => formatRegister(entry(':a:E::x::/i:'), 'x')).toThrow(`entry 'a': delimiter 'x' occurs in a field`);
    expect(() => formatRegister({ ...entry(':a:M::AB::/i:'), interpreter: '/i|' }, '|')).toThrow(
      /delimiter '\|' occurs/,
    );
    const ext = entry(':a:E::x::/i:');
    if (ext.type !== 'extension') throw new Error('type');
    expect(() => formatRegister({ ...ext, extension: 'a|b' }, '|')).toThrow(/delimiter '\|' occurs/);
    expect(formatRegister({ ...entry(':a:M::AB::/i:'), interpreter: '/i|' }, ':')).toBe(':a:M::AB::/i|:');
  });
});

describe('entry helpers', () => {
  it('canonicalFlags: each letter once, POCF order, C adds O, others dropped', () => {
    expect(canonicalFlags('FCP')).toBe('POCF');
    expect(canonicalFlags('C')).toBe('OC');
    expect(canonicalFlags('PPx')).toBe('P');
    expect(canonicalFlags('')).toBe('');
  });

  it('toHex and fromHex', () => {
    expect(toHex(null)).toBeNull();
    expect(toHex(Uint8Array.from([0, 15, 16, 255]))).toBe('000f10ff');
    expect(Array.from(fromHex('000F10ff'))).toEqual([0, 15, 16, 255]);
    expect(fromHex('')).toEqual(new Uint8Array(0));
    for (const bad of ['0', 'zz', '0g', '123'])
      expect(() => fromHex(bad)).toThrow(`not an even run of hex digits: ${bad}`);
  });

  it('BinfmtError carries code and field', () => {
    const e = new BinfmtError('EINVAL', 'bad', 'mask');
    expect([e.name, e.code, e.message, e.field, e instanceof Error]).toEqual([
      'BinfmtError',
      'EINVAL',
      'bad',
      'mask',
      true,
    ]);
  });
});

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

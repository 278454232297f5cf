import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryFlagsOf, loaderDirective, withInterpreter, LOADER_PLACEHOLDER } from '../../src/core/loader-directive.js';
import { ruleLines } from '../../src/core/binfmtd-merge.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { markerPattern } from '../../src/elf/marker.js';
import { thrown } from '../helpers/thrown.js';
import { ROOT } from '../helpers/sandbox.js';

const shipped = (name: string) => {
  const file = join(ROOT, 'binfmt', `${name}.conf`);
  const content = readFileSync(file, 'utf8');
  const rules = ruleLines(file, content);
  expect(rules).toHaveLength(1);
  const parsed = parseRegister(withInterpreter(rules[0]!.text, '/usr/local/lib/binfmt/loaders/x'), {
    exists: () => false,
    openInterpreter: () => null,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return { entry: parsed.entry, directive: loaderDirective(content, file) };
};

describe('shipped definitions run by the chainloader', () => {
  it('host-runtime matches exactly the HRT1-marked x86-64 ELF64 pattern, P and F, never C', () => {
    const { entry, directive } = shipped('host-runtime');
    const p = markerPattern('HRT1');
    expect(entry).toMatchObject({ type: 'magic', name: 'host-runtime', offset: 0, flags: 'PF' });
    if (entry.type !== 'magic') throw new Error('magic');
    expect(Buffer.from(entry.magic)).toEqual(Buffer.from(p.magic));
    expect(Buffer.from(entry.mask!)).toEqual(Buffer.from(p.mask));
    expect(directive).toMatchObject({ ldFromProgram: true, root: '/run/host' });
  });
  it('slulb-magic matches the SLUL marker; slulb the .slulb extension; both P and F with a fixed ld.so', () => {
    const m = shipped('slulb-magic');
    if (m.entry.type !== 'magic') throw new Error('magic');
    expect(Buffer.from(m.entry.magic)).toEqual(Buffer.from(markerPattern('SLUL').magic));
    expect(m.entry.flags).toBe('PF');
    expect(m.directive).toMatchObject({ ld: '/lib64/ld-linux-x86-64.so.2' });
    const e = shipped('slulb');
    expect(e.entry).toMatchObject({ type: 'extension', extension: 'slulb', flags: 'PF' });
    expect(e.directive).toMatchObject({ ld: '/lib64/ld-linux-x86-64.so.2' });
  });
});

describe('the binfmt-loader directive', () => {
  it('reads the stamp options', () => {
    expect(
      loaderDirective(
        '# x\n# binfmt-loader: --ld-from-program --root /run/host --inhibit-cache --library-path /a:/b\n:n:E::e::@loader:\n',
        'f.conf',
      ),
    ).toEqual({
      line: 2,
      ldFromProgram: true,
      root: '/run/host',
      inhibitCache: true,
      libraryPath: '/a:/b',
    });
    expect(loaderDirective(':n:E::e::/bin/x:\n', 'f.conf')).toBeNull();
  });
  it('names file and line for an unknown option, a missing value, or a second directive', () => {
    const err = (text: string) => thrown(() => loaderDirective(text, 'f.conf'));
    expect(err('\n# binfmt-loader: --bogus\n')).toMatchObject({ code: 'EINVAL', field: 'f.conf:2' });
    expect(err('# binfmt-loader: --ld\n').message).toMatch(/f\.conf:1: binfmt-loader: --ld needs a value/);
    expect(err('# binfmt-loader: --ld /a\n# binfmt-loader: --ld /b\n').message).toMatch(
      /second binfmt-loader directive \(the first is on line 1\)/,
    );
  });
  it("reads the entry's flags, which register stamps into the copy (P for kernels before 5.12)", () => {
    expect(entryFlagsOf(`:n:E::e::${LOADER_PLACEHOLDER}:PF`)).toBe('PF');
    expect(entryFlagsOf(`:n:E::e::${LOADER_PLACEHOLDER}:POF\n`)).toBe('POF');
    expect(entryFlagsOf(`|n|E||e||${LOADER_PLACEHOLDER}|`)).toBe('');
    expect(entryFlagsOf(':n:E::e')).toBe('');
  });
  it('replaces only an @loader interpreter field', () => {
    expect(withInterpreter(`:n:E::e::${LOADER_PLACEHOLDER}:PF`, '/l/n')).toBe(':n:E::e::/l/n:PF');
    expect(withInterpreter(':n:E::e::/bin/x:PF', '/l/n')).toBe(':n:E::e::/bin/x:PF');
    expect(() => withInterpreter('|n|E||e||@loader|', '/a|b')).toThrow(/delimiter/);
  });
});

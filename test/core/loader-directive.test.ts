/**
 * The `# binfmt-loader:` directive of a shipped definition and the register
 * line's `@loader` field, as table tests: every option, the spellings of the
 * comment a hand-edited file may have, and each refusal with its code, the
 * file:line it names and its exact message.
 */
import { describe, expect, it } from 'vitest';
import {
  LOADER_PLACEHOLDER,
  entryFlagsOf,
  loaderDirective,
  usesLoaderPlaceholder,
  withInterpreter,
} from '../../src/core/loader-directive.js';
import { thrown } from '../helpers/thrown.js';

const RULE = `:n:E::e::${LOADER_PLACEHOLDER}:PF\n`;

describe('loaderDirective', () => {
  it.each([
    [
      'every option',
      '# binfmt-loader: --ld /l --embed-ld /e --root /r --library-path /a:/b',
      {
        ld: '/l',
        embedLd: '/e',
        root: '/r',
        libraryPath: '/a:/b',
      },
    ],
    ['the switches', '# binfmt-loader: --ld-from-program --inhibit-cache', { ldFromProgram: true, inhibitCache: true }],
    ['no space after #, none after the colon', '#binfmt-loader:--ld /l', { ld: '/l' }],
    [
      'indented, tabs and runs of spaces',
      ' \t#  binfmt-loader:\t--root  /r \t--ld-from-program  ',
      {
        root: '/r',
        ldFromProgram: true,
      },
    ],
    ['no options at all', '# binfmt-loader:', {}],
  ])('reads %s', (_n, directive, options) => {
    expect(loaderDirective(`# a comment\n\n${directive}\n${RULE}`, 'f.conf')).toEqual({ line: 3, ...options });
  });

  it.each([
    ['another comment', '# binfmt-loader-x: --ld /l'],
    ['the words not in a comment', 'binfmt-loader: --ld /l'],
    ['text before the #', 'x # binfmt-loader: --ld /l'],
    ['no colon', '# binfmt-loader --ld /l'],
  ])('ignores %s', (_n, line) => {
    expect(loaderDirective(`${line}\n${RULE}`, 'f.conf')).toBeNull();
  });

  it.each([
    [
      'an unknown option',
      '# x\n# binfmt-loader: --ld /l --bogus\n',
      'f.conf:2',
      'f.conf:2: binfmt-loader: unknown option "--bogus" ' +
        '(known: --ld-from-program, --inhibit-cache, --ld, --embed-ld, --root, --library-path)',
    ],
    ['a value left off', '# binfmt-loader: --root\n', 'f.conf:1', 'f.conf:1: binfmt-loader: --root needs a value'],
    [
      'a second directive',
      '# binfmt-loader: --ld /a\n:n:E::e::@loader:\n#binfmt-loader: --ld /b\n',
      'f.conf:3',
      'f.conf:3: a second binfmt-loader directive (the first is on line 1)',
    ],
  ])('refuses %s, naming file:line', (_n, text, field, message) => {
    expect(thrown(() => loaderDirective(text, 'f.conf'))).toMatchObject({ code: 'EINVAL', field, message });
  });
});

describe('the @loader interpreter field', () => {
  it.each([
    [`:n:E::e::${LOADER_PLACEHOLDER}:PF`, ':n:E::e::/l/n:PF'],
    [`:n:E::e::${LOADER_PLACEHOLDER}:`, ':n:E::e::/l/n:'],
    [`|n|M|0|\\x7fELF||${LOADER_PLACEHOLDER}|F`, '|n|M|0|\\x7fELF||/l/n|F'],
    // not the interpreter field, or too few fields: unchanged
    [`:n:E::${LOADER_PLACEHOLDER}::/bin/x:`, `:n:E::${LOADER_PLACEHOLDER}::/bin/x:`],
    [`:n:E::e::${LOADER_PLACEHOLDER}`, `:n:E::e::${LOADER_PLACEHOLDER}`],
    [`:n:E::e::${LOADER_PLACEHOLDER}x:`, `:n:E::e::${LOADER_PLACEHOLDER}x:`],
    ['', ''],
  ])('withInterpreter(%j)', (line, out) => {
    expect(withInterpreter(line, '/l/n')).toBe(out);
    expect(usesLoaderPlaceholder(line)).toBe(out !== line);
  });

  it('refuses a loader path that holds the delimiter', () => {
    expect(thrown(() => withInterpreter(`,n,E,,e,,${LOADER_PLACEHOLDER},`, '/a,b'))).toMatchObject({
      code: 'EINVAL',
      field: '--loader-dir',
      message: "loader path /a,b contains the delimiter ','",
    });
  });

  it.each([
    [':n:E::e::/x:POC', 'POC'],
    [':n:E::e::/x:F\n', 'F'],
    // only a final newline is dropped
    [':n:E::e\n::/x:PF\n', 'PF'],
    [':n:E::e::/x:', ''],
    [':n:E::e::/x', ''],
    ['', ''],
  ])('entryFlagsOf(%j) is %j', (line, flags) => {
    expect(entryFlagsOf(line)).toBe(flags);
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

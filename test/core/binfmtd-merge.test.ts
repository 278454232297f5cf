import { describe, expect, it } from 'vitest';
import { chooseConfFiles, ruleLines, ruleName, splitLines } from '../../src/core/binfmtd-merge.js';

describe('binfmt.d merge rules (pure)', () => {
  it('an earlier directory overrides the same name; files sort by name across directories', () => {
    const got = chooseConfFiles([
      { dir: '/etc/binfmt.d', names: ['b.conf', 'z.conf', '.hidden.conf', 'notes.txt'] },
      { dir: '/run/binfmt.d', names: ['a.conf', 'b.conf'] },
      { dir: '/usr/lib/binfmt.d', names: ['b.conf', 'c.conf'] },
    ]);
    expect(got.map((f) => `${f.dir}/${f.name}`)).toEqual([
      '/run/binfmt.d/a.conf',
      '/etc/binfmt.d/b.conf',
      '/usr/lib/binfmt.d/c.conf',
      '/etc/binfmt.d/z.conf',
    ]);
    expect(got[1]!.overrides).toEqual(['/run/binfmt.d/b.conf', '/usr/lib/binfmt.d/b.conf']);
  });

  it('sorts by bytes (strcmp), not by locale', () => {
    const got = chooseConfFiles([{ dir: '/d', names: ['b.conf', 'B.conf', '_.conf', 'a.conf'] }]);
    expect(got.map((f) => f.name)).toEqual(['B.conf', '_.conf', 'a.conf', 'b.conf']);
  });

  it('splits lines like read_line(): \\r\\n and \\n\\r are one end, \\n\\n two, NUL ends a line', () => {
    expect(splitLines('a\r\nb\n\rc\n\nd')).toEqual(['a', 'b', 'c', '', 'd']);
    expect(splitLines('a\rb\0c\0\nd\n')).toEqual(['a', 'b', 'c', '', 'd']);
  });

  it('keeps file:line, strips " \\t\\r\\n", skips blank and # ; comments', () => {
    const got = ruleLines('/x.conf', '# c\n\n  ;c2\n\t:a:E::a::/bin/sh:  \n:b:E::b::/bin/sh:\n');
    expect(got).toEqual([
      { file: '/x.conf', line: 4, text: ':a:E::a::/bin/sh:' },
      { file: '/x.conf', line: 5, text: ':b:E::b::/bin/sh:' },
    ]);
  });

  it('takes the name as the first field after the delimiter', () => {
    expect(ruleName(':qemu-arm:M::x::/q:F')).toBe('qemu-arm');
    expect(ruleName('|a:b|E||x||/q|')).toBe('a:b');
  });
});

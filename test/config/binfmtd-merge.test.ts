import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseConfFiles, ruleLines, ruleName, splitLines } from '../../src/core/binfmtd-merge.js';
import { readBinfmtd } from '../../src/config/binfmtd-sources.js';
import { tempDir } from '../helpers/tmp.js';

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

describe('readBinfmtd below a root', () => {
  it('follows an absolute symlink into the root, not into the machine', () => {
    const root = tempDir('binfmtd-');
    mkdirSync(join(root, 'etc/binfmt.d'), { recursive: true });
    mkdirSync(join(root, 'opt/vendor'), { recursive: true });
    writeFileSync(join(root, 'opt/vendor/v.conf'), ':v:E::v::/bin/sh:\n');
    symlinkSync('/opt/vendor/v.conf', join(root, 'etc/binfmt.d/v.conf'));
    expect(readBinfmtd(root).lines.map((l) => l.text)).toEqual([':v:E::v::/bin/sh:']);
  });

  it('reports overrides, /dev/null and empty-file masks, and keeps going past unreadable files', () => {
    const root = tempDir('binfmtd-');
    for (const d of ['etc/binfmt.d', 'run/binfmt.d', 'usr/lib/binfmt.d']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'usr/lib/binfmt.d/a.conf'), ':a:E::a::/bin/sh:\n');
    writeFileSync(join(root, 'usr/lib/binfmt.d/b.conf'), ':b:E::b::/bin/sh:\n');
    writeFileSync(join(root, 'usr/lib/binfmt.d/c.conf'), ':c:E::c::/bin/sh:\n');
    writeFileSync(join(root, 'usr/lib/binfmt.d/d.conf'), ':d:E::d::/bin/sh:\n');
    symlinkSync('/dev/null', join(root, 'etc/binfmt.d/a.conf'));
    writeFileSync(join(root, 'run/binfmt.d/b.conf'), '');
    writeFileSync(join(root, 'run/binfmt.d/c.conf'), ':c2:E::c::/bin/true:\n');
    symlinkSync('/nonexistent', join(root, 'etc/binfmt.d/e.conf'));
    const cfg = readBinfmtd(root);
    expect(cfg.files.map((f) => [f.path.slice(root.length), f.status])).toEqual([
      ['/etc/binfmt.d/a.conf', 'masked'],
      ['/run/binfmt.d/b.conf', 'masked'],
      ['/run/binfmt.d/c.conf', 'applied'],
      ['/usr/lib/binfmt.d/d.conf', 'applied'],
      ['/etc/binfmt.d/e.conf', 'unreadable'],
    ]);
    expect(cfg.lines.map((l) => l.text)).toEqual([':c2:E::c::/bin/true:', ':d:E::d::/bin/sh:']);
    expect(cfg.problems).toHaveLength(1);
    expect(cfg.problems[0]!.source).toBe(join(root, 'etc/binfmt.d/e.conf'));
  });
});

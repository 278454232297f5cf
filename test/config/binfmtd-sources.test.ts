/** readBinfmtd: binfmt.d's directories read below a root, as systemd-binfmt reads them on the machine. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBinfmtd } from '../../src/config/binfmtd-sources.js';
import { tempDir } from '../helpers/tmp.js';

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

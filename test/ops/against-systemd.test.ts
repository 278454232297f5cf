/**
 * binfmt apply --config-root versus the real systemd-binfmt on the same
 * binfmt.d trees, each in its own private binfmt_misc instance: the entries
 * (every field, and the kernel's match order) must be the same.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxedScript } from '../helpers/sandbox.js';
import { binfmt, dump, sandboxedSteps } from '../helpers/steps.js';
import { needs, sandbox, files } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const SYSTEMD_BINFMT = '/lib/systemd/systemd-binfmt';
const DIRS = ['etc/binfmt.d', 'run/binfmt.d', 'usr/local/lib/binfmt.d', 'usr/lib/binfmt.d'];

type Tree = Record<string, string | { symlink: string }>;

function makeTree(tree: Tree): string {
  const root = tempDir('binfmtd-tree-');
  for (const d of DIRS) mkdirSync(join(root, d), { recursive: true });
  for (const [path, content] of Object.entries(tree)) {
    if (typeof content === 'string') writeFileSync(join(root, path), content, 'latin1');
    else symlinkSync(content.symlink, join(root, path));
  }
  return root;
}

const stateDir = (): string => tempDir('state-');

/** Every entry systemd-binfmt registers from the tree, in the kernel's order, with its full read-back text. */
function viaSystemd(root: string): string {
  const r = sandboxedScript(new URL('scripts/via-systemd.sh', import.meta.url), [SYSTEMD_BINFMT, root]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** The same after binfmt apply (whatever its status: refusals are compared by the entries left). */
function viaBinfmt(root: string): string {
  const [, r] = sandboxedSteps([binfmt('apply', '--config-root', root, '--state-dir', stateDir()), dump()]);
  expect(r!.stderr).toBe('');
  return r!.stdout;
}

const TREES: Record<string, Tree> = {
  'overrides across directories, masks, comments, invalid lines': {
    'usr/lib/binfmt.d/10-vendor.conf': ':vendor-a:E::va::/bin/sh:\n:vendor-b:M::VB\\x00\\x01::/bin/true:P\n',
    'usr/lib/binfmt.d/20-masked-null.conf': ':masked-null:E::mn::/bin/sh:\n',
    'usr/lib/binfmt.d/30-masked-empty.conf': ':masked-empty:E::me::/bin/sh:\n',
    'usr/lib/binfmt.d/40-overridden.conf': ':from-usr:E::ov::/bin/sh:\n',
    'usr/local/lib/binfmt.d/40-overridden.conf': ':from-local:E::ov::/bin/true:\n',
    'run/binfmt.d/40-overridden.conf': ':from-run:M:2:\\x7fZZ:\\xff\\xf0\\xff:/bin/echo:OC\n',
    'etc/binfmt.d/20-masked-null.conf': { symlink: '/dev/null' },
    'run/binfmt.d/30-masked-empty.conf': '',
    'etc/binfmt.d/50-local.conf': [
      '# a comment',
      '; another comment',
      '',
      '   :indented:E::ind::/bin/sh:   ',
      ':bad-flags:E::bf::/bin/sh:X',
      ':register:E::reg::/bin/sh:',
      ':no/slash:E::ns::/bin/sh:',
      ':short',
      ':no-final-delimiter:E::nfd::/bin/sh',
      '|pipe|M|0|#!/pipe||/bin/sh|F',
      ':dup:E::first::/bin/sh:',
      '',
    ].join('\n'),
    'etc/binfmt.d/60-crlf.conf': ':crlf-a:E::ca::/bin/sh:\r\n:crlf-b:E::cb::/bin/sh:\r\n',
    'etc/binfmt.d/70-dup.conf': ':dup:E::second::/bin/true:\n',
    'etc/binfmt.d/not-a-conf.txt': ':ignored:E::ig::/bin/sh:\n',
    'etc/binfmt.d/.hidden.conf': ':hidden:E::hid::/bin/sh:\n',
  },
  'order decides the match: the later file registers later and wins': {
    'etc/binfmt.d/a.conf': ':first:M::SAME::/bin/true:\n:ext:E::same::/bin/sh:\n',
    'usr/lib/binfmt.d/b.conf': ':second:M::SAM::/bin/echo:\n',
    'usr/lib/binfmt.d/c.conf': ':third:M::SAME::/bin/sh:F\n',
  },
  'precedence across all four directories, raw bytes, other delimiters, CR-only line ends': {
    'etc/binfmt.d/p.conf': ':from-etc:E::pe::/bin/sh:\n',
    'run/binfmt.d/p.conf': ':from-run:E::pr::/bin/sh:\n',
    'run/binfmt.d/q.conf': ':q-from-run:E::qr::/bin/sh:\n',
    'usr/local/lib/binfmt.d/q.conf': ':q-from-local:E::ql::/bin/sh:\n',
    'usr/local/lib/binfmt.d/r.conf': ':r-from-local:E::rl::/bin/sh:\n',
    'usr/lib/binfmt.d/r.conf': ':r-from-usr:E::ru::/bin/sh:\n',
    'usr/lib/binfmt.d/s.conf': Buffer.from([
      ...Buffer.from(':raw:M:1:\\xff'),
      0xfe,
      0x80,
      ...Buffer.from(':\\xff\\xff\\xff:/bin/true:\n'),
    ]).toString('latin1'),
    'usr/lib/binfmt.d/t.conf':
      ',comma,E,,co,,/usr/bin/env a:b,P\r:cr-only:E::cro::/bin/sh:\r\t:tabbed:E::tb::/bin/sh:\t\r',
  },
};

/**
 * Like qemu-user-static's 29 files plus two more: 31 F entries, each opening
 * its interpreter when registered, and one interpreter uninstalled.
 */
function treeWithOneGone(): { root: string; gone: string } {
  const root = makeTree({});
  mkdirSync(join(root, 'interp'));
  const gone = 'emu-13';
  for (let i = 0; i < 31; i++) {
    const name = `emu-${i}`;
    if (name !== gone) copyFileSync('/bin/true', join(root, 'interp', name));
    const machine = `\\x${(0x80 + i).toString(16)}`;
    const magic = `\\x7fELF\\x02\\x01\\x01${'\\x00'.repeat(9)}\\x02\\x00${machine}`;
    const dir = i % 2 ? 'usr/lib/binfmt.d' : 'etc/binfmt.d';
    const flags = i % 3 ? 'OCF' : 'PF';
    writeFileSync(join(root, dir, `${name}.conf`), `:${name}:M::${magic}::${root}/interp/${name}:${flags}\n`);
  }
  return { root, gone };
}

describe('binfmt apply matches systemd-binfmt', needs(sandbox(), files(SYSTEMD_BINFMT)), () => {
  for (const [what, tree] of Object.entries(TREES)) {
    it(what, () => {
      const root = makeTree(tree);
      const expected = viaSystemd(root);
      expect(expected).toContain('== ');
      if (process.env.SHOW_DUMP) console.log(expected);
      expect(viaBinfmt(root)).toBe(expected);
    });
  }

  it('an F entry whose interpreter is gone: both skip it and register the other 30 alike, in the same order', () => {
    const { root, gone } = treeWithOneGone();
    const expected = viaSystemd(root);
    expect(expected.match(/^== /gm)).toHaveLength(30);
    expect(expected).not.toContain(`== ${gone}\n`);
    expect(viaBinfmt(root)).toBe(expected);
    // and binfmt says so: file:line, the errno, exit 1
    const [r] = sandboxedSteps([binfmt('apply', '--config-root', root, '--state-dir', stateDir())]);
    expect(r!.status).toBe(1);
    const why = `F: the kernel could not open the interpreter ${root}/interp/${gone}`;
    expect(r!.stderr).toBe(
      `binfmt: ${root}/usr/lib/binfmt.d/${gone}.conf:1: error: '${gone}': refused by the kernel (ENOENT): ${why}; skipped\n`,
    );
  });
});

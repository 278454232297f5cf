/**
 * Debian binfmt-support's format files (update-binfmts(8)): import files of
 * "key value" lines and the positional admin database, with credentials →
 * OC, preserve → P, fix_binary → F. Every entry the kernel accepted in the
 * recorded corpus (test/fixtures/register-verdicts/) goes out as an import
 * file and comes back the same, or says what the format cannot hold;
 * test/ops/interop.test.ts checks the files against update-binfmts itself.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binfmtSupportEntry, formatBinfmtSupport, parseBinfmtSupport } from '../../src/core/binfmt-support-format.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { entryDifferences } from '../../src/core/entry-diff.js';
import type { Entry } from '../../src/core/entry.js';
import { ROOT } from '../helpers/sandbox.js';

const recorded: { rows: { input: string; errno: string | null }[] } = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'register-verdicts', 'verdicts.json'), 'utf8'),
);
const accepted: Entry[] = recorded.rows
  .filter((r) => r.errno === null)
  .map((r) => parseRegister(Buffer.from(r.input, 'base64')))
  .flatMap((r) => (r.ok ? [r.entry] : []));

const imported = (name: string, text: string) => {
  const { format, problems } = parseBinfmtSupport(name, `/usr/share/binfmts/${name}`, text);
  const r = binfmtSupportEntry(format, `/usr/share/binfmts/${name}`);
  return { ...r, problems: [...problems, ...r.problems], format };
};

describe('import files round-trip every entry the kernel accepted', () => {
  it(`${accepted.length} entries`, () => {
    expect(accepted.length).toBeGreaterThan(200);
    let kept = 0;
    for (const e of accepted) {
      if (/[\s]/.test(e.name) || e.name.includes('/')) continue;
      const { text, lost } = formatBinfmtSupport(e, 'pkg');
      const back = imported(e.name, text);
      const whitespace = /^\s|\s$|\n/.test(e.interpreter);
      expect(
        lost.some((l) => l.startsWith(`interpreter '${e.interpreter}'`)),
        text,
      ).toBe(whitespace);
      expect(lost.includes('flag O without C: binfmt-support only has credentials (OC)')).toBe(
        e.flags.includes('O') && !e.flags.includes('C'),
      );
      if (lost.length > 0 || (e.type === 'extension' && e.extension !== e.extension.trim())) continue;
      expect(back.imported, `${text}\n${JSON.stringify(back.problems)}`).not.toBeNull();
      expect(entryDifferences(e, back.imported!.entry), text).toEqual([]);
      expect(back.imported!.package).toBe('pkg');
      kept++;
    }
    expect(kept).toBeGreaterThan(100);
  });

  it('writes keys in a fixed order, flags as yes lines, offset only when not zero', () => {
    const e = parseRegister(':q:M:4:A\\x3aB:\\xff\\xff\\xff:/usr/bin/q:POCF');
    if (!e.ok) throw new Error('parse');
    expect(formatBinfmtSupport(e.entry, 'qemu-user')).toEqual({
      text: 'package qemu-user\ninterpreter /usr/bin/q\nmagic A\\x3aB\noffset 4\nmask \\xff\\xff\\xff\ncredentials yes\npreserve yes\nfix_binary yes\n',
      lost: [],
    });
    const x = parseRegister(':x:E::py::/usr/bin/python3:');
    if (!x.ok) throw new Error('parse');
    expect(formatBinfmtSupport({ ...x.entry, enabled: false })).toEqual({
      text: 'package binfmt\ninterpreter /usr/bin/python3\nextension py\n',
      lost: ['disabled: update-binfmts registers formats enabled'],
    });
  });
});

describe('reading import files', () => {
  it('reads the fields, skips comments and blank lines, and builds the register string update-binfmts would', () => {
    const r = imported(
      'jar',
      '# a comment\n\npackage openjdk-17\ninterpreter /usr/bin/jexec\nmagic PK\\x03\\x04\ncredentials yes\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.imported).toMatchObject({ source: '/usr/share/binfmts/jar', lost: [], package: 'openjdk-17' });
    expect(r.imported!.entry).toMatchObject({
      name: 'jar',
      type: 'magic',
      interpreter: '/usr/bin/jexec',
      flags: 'OC',
      offset: 0,
      mask: null,
    });
    expect(r.format.lines).toEqual({ package: 3, interpreter: 4, magic: 5, credentials: 6 });
  });

  it('an extension format with preserve and fix_binary, without a package', () => {
    const r = imported(
      'py',
      'interpreter /usr/bin/python3\nextension py\npreserve yes\nfix_binary yes\ncredentials no\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.imported!.entry).toMatchObject({ type: 'extension', extension: 'py', flags: 'PF' });
    expect(r.imported!.package).toBeNull();
  });

  it('names file and line of every problem', () => {
    expect(imported('u', 'interpreter /bin/sh\nextension u\nfrobnicate yes\n').problems).toEqual([
      {
        source: '/usr/share/binfmts/u:3',
        severity: 'warning',
        code: 'binfmts-unknown-key',
        message: "unknown key 'frobnicate', ignoring",
      },
    ]);
    expect(imported('n', 'package p\nmagic AB\n')).toMatchObject({
      imported: null,
      problems: [
        {
          source: '/usr/share/binfmts/n',
          severity: 'error',
          code: 'binfmts-no-interpreter',
          message: 'no interpreter line; the format cannot be registered, ignoring',
        },
      ],
    });
    for (const text of ['interpreter /bin/sh\n', 'interpreter /bin/sh\nmagic AB\nextension x\n']) {
      expect(imported('b', text)).toMatchObject({
        imported: null,
        problems: [
          {
            source: '/usr/share/binfmts/b',
            severity: 'error',
            code: 'binfmts-magic-or-extension',
            message: 'needs exactly one of magic and extension, ignoring',
          },
        ],
      });
    }
    expect(imported('c', 'interpreter /bin/sh\nextension c\ncredentials maybe\n').problems).toEqual([
      {
        source: '/usr/share/binfmts/c:3',
        severity: 'error',
        code: 'binfmts-yes-no',
        message: "credentials must be yes or no, not 'maybe'",
      },
    ]);
    const bad = imported('m', 'interpreter /bin/sh\noffset 2\nmagic AB\nmask \\xff\n');
    expect(bad.imported).toBeNull();
    expect(bad.problems).toEqual([
      {
        source: '/usr/share/binfmts/m:4',
        severity: 'error',
        code: 'mask-length',
        field: 'mask',
        errno: 'EINVAL',
        message: 'mask: 1 bytes, but the magic has 2; they must be the same length',
      },
    ]);
    const off = imported('o', 'interpreter /bin/sh\noffset x\nmagic AB\n');
    expect(off.problems[0]).toMatchObject({ source: '/usr/share/binfmts/o:2', severity: 'error', code: 'offset' });
  });

  it('says that a detector is not kept', () => {
    const r = imported('d', 'interpreter /bin/sh\nextension d\ndetector /usr/lib/x/detect\n');
    expect(r.imported!.lost).toEqual([
      'detector /usr/lib/x/detect: a binfmt.d entry runs the interpreter directly (update-binfmts would go through run-detectors)',
    ]);
  });
});

describe('reading the admin database (/var/lib/binfmts/NAME, ten positional lines)', () => {
  it('a magic format', () => {
    const r = imported(
      'qemu-arm',
      'qemu-user-static\nmagic\n\n\\x7fELF\\x01\n\\xff\\xff\\xff\\xff\\xfe\n/usr/libexec/qemu-binfmt/arm-binfmt-P\n\nyes\nyes\nyes\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.imported!.entry).toMatchObject({
      type: 'magic',
      flags: 'POCF',
      interpreter: '/usr/libexec/qemu-binfmt/arm-binfmt-P',
      offset: 0,
    });
    expect(r.format.lines).toEqual({
      package: 1,
      magic: 4,
      mask: 5,
      interpreter: 6,
      credentials: 8,
      preserve: 9,
      fix_binary: 10,
    });
  });

  it('an extension format: the fourth line is the extension', () => {
    const r = imported('py3', 'python3\nextension\n\npy\n\n/usr/bin/python3\n\nno\nno\nno\n');
    expect(r.problems).toEqual([]);
    expect(r.imported!.entry).toMatchObject({
      type: 'extension',
      extension: 'py',
      flags: '',
      interpreter: '/usr/bin/python3',
    });
    expect(r.imported!.package).toBe('python3');
  });

  it('is told from an import file that starts with package or interpreter', () => {
    const r = imported('p', 'package magic\nmagic\ninterpreter /bin/sh\nextension p\nmagic x\nfix_binary no\n');
    // read as key-value lines: "magic" (empty) and "magic x" and "extension p" collide
    expect(r.problems).toEqual([
      expect.objectContaining({ message: 'needs exactly one of magic and extension, ignoring' }),
    ]);
  });
});

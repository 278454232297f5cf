/**
 * import/export against real formats: update-binfmts itself (unpacked from
 * Debian's binfmt-support by scripts/install-deps.sh) is the oracle for its
 * format files; round trips through every format must give back the same
 * kernel entries.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxed, ROOT, MOUNT } from '../helpers/sandbox.js';
import { needs, sandbox, files } from '../helpers/skip-gate.js';

const UPDATE_BINFMTS = join(ROOT, '.cache/debs/binfmt-support/usr/sbin/update-binfmts');
const DUMP = `(cd ${MOUNT} && for f in $(ls -U); do case $f in register|status) continue;; esac; echo "== $f"; cat "$f"; done)`;

const FORMATS: Record<string, string> = {
  java: 'package javawrapper\ninterpreter /bin/true\nmagic \\xca\\xfe\\xba\\xbe\n',
  creds: 'package foo\ninterpreter /bin/sh\nextension foo\ncredentials yes\nfix_binary yes\n',
  masked: 'package m\ninterpreter /bin/echo\nmagic MK\\x02\\x3a\noffset 4\nmask \\xff\\xff\\xfe\\xff\npreserve yes\n',
  plain: 'package p\ninterpreter /bin/echo\nmagic PP\npreserve no\ncredentials no\n',
};

function formatDir(formats: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'binfmts-'));
  for (const [n, t] of Object.entries(formats)) writeFileSync(join(dir, n), t);
  return dir;
}

/** A config root whose etc/binfmt.d is `dir`'s content (for apply). */
function applyDump(confDir: string): string {
  const r = sandboxed(
    `S=$(mktemp -d); $CLI apply --config-root ${confDir} --state-dir $S >/dev/null || exit 9; ${DUMP}`,
  );
  expect(r.stderr).toBe('');
  return r.stdout;
}

describe('import and export', needs(sandbox()), () => {
  it(
    'update-binfmts format files: import --out then apply gives what update-binfmts --import registers',
    needs(files(UPDATE_BINFMTS)),
    () => {
      const imp = formatDir(FORMATS);
      const names = Object.keys(FORMATS).sort();
      const oracle = sandboxed(
        `A=$(mktemp -d); for n in ${names.join(' ')}; do ${UPDATE_BINFMTS} --admindir $A --importdir ${imp} --import $n || exit 9; done; ${DUMP}`,
      );
      expect(oracle.status).toBe(0);
      expect(oracle.stdout).toContain('== masked');

      const root = mkdtempSync(join(tmpdir(), 'import-root-'));
      const out = join(root, 'etc/binfmt.d');
      const r = sandboxed(`$CLI import --from binfmt-support ${imp} --out ${out} --json`);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).written.map((w: { name: string }) => w.name)).toEqual(names);
      expect(applyDump(root)).toBe(oracle.stdout);
    },
  );

  it('says what it cannot keep, with the file and line', () => {
    const imp = formatDir({
      det: 'package d\ninterpreter /bin/echo\nmagic DD\ndetector /usr/bin/detect\n',
      bad: 'package b\ninterpreter /bin/sh\nmagic \\xZZ\nbogus 1\n',
    });
    const out = mkdtempSync(join(tmpdir(), 'import-out-'));
    const r = sandboxed(`$CLI import --from binfmt-support ${imp} --out ${out}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${imp}/bad:4: warning: unknown key 'bogus', ignoring`);
    expect(r.stderr).toMatch(new RegExp(`${imp}/bad:3: error: .*magic`));
    expect(r.stderr).toMatch(/'det': not kept: detector \/usr\/bin\/detect/);
    expect(readFileSync(join(out, '01-det.conf'), 'utf8')).toMatch(/# not kept: detector/);
  });

  it('kernel → each format → binfmt.d → kernel loses nothing', () => {
    const w = mkdtempSync(join(tmpdir(), 'roundtrip-'));
    const lines = [
      ':rt-masked:M:7:AB\\x00\\x3a\\x5cx:\\xff\\xf0\\xff\\xff\\xff\\xff:/bin/echo:P',
      ':rt-ext:E::rtx::/bin/sh:OC',
      ':rt-fix:M::\\x7fRT::/bin/sh:F',
      ':rt-space:E::sp::/usr/bin/env FOO=1:',
    ];
    for (const k of ['bs', 'sd', 'proc']) mkdirSync(join(w, k, 'etc/binfmt.d'), { recursive: true });
    const r = sandboxed(
      [
        ...lines.map((l) => `printf '%s' '${l}' > ${MOUNT}/register || exit 7`),
        DUMP,
        `$CLI export --format binfmt-support --out ${w}/bs-files >/dev/null || exit 8`,
        `$CLI import --from binfmt-support ${w}/bs-files --out ${w}/bs/etc/binfmt.d >/dev/null || exit 9`,
        `$CLI export --format systemd > ${w}/all.conf || exit 10`,
        `$CLI import --from systemd ${w}/all.conf --out ${w}/sd/etc/binfmt.d >/dev/null || exit 11`,
        `$CLI import --from proc --out ${w}/proc/etc/binfmt.d >/dev/null || exit 12`,
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const original = r.stdout;
    expect(original).toContain('== rt-space');
    // binfmt-support files carry no order: compare as sets of entries
    const entries = (dump: string): string[] => dump.split('== ').filter(Boolean).sort();
    expect(entries(applyDump(join(w, 'bs')))).toEqual(entries(original));
    expect(applyDump(join(w, 'sd'))).toBe(original);
    expect(applyDump(join(w, 'proc'))).toBe(original);
  });

  it('export says what a format cannot hold; import without --out registers, owned by binfmt', () => {
    const conf = mkdtempSync(join(tmpdir(), 'imp-'));
    writeFileSync(join(conf, 'x.conf'), ':imp-a:E::ia::/bin/sh:\n');
    const r = sandboxed(
      [
        'S=$(mktemp -d)',
        `printf ':o-only:E::oo::/bin/sh:O' > ${MOUNT}/register; echo 0 > ${MOUNT}/o-only`,
        `$CLI export --format binfmt-support >/dev/null`,
        `$CLI import --from systemd ${conf} --state-dir $S >/dev/null || exit 9`,
        `cat $S/*.json`,
      ].join('\n'),
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("'o-only': not kept: flag O without C");
    expect(r.stderr).toContain("'o-only': not kept: disabled");
    expect(JSON.parse(r.stdout).entries.map((e: { name: string }) => e.name)).toEqual(['imp-a']);
  });

  it('import without --out leaves a differently registered foreign entry alone and says so', () => {
    const conf = mkdtempSync(join(tmpdir(), 'imp-'));
    writeFileSync(join(conf, 'x.conf'), ':theirs:E::new::/bin/sh:\n');
    const r = sandboxed(
      `S=$(mktemp -d); printf ':theirs:E::old::/bin/sh:' > ${MOUNT}/register; $CLI import --from systemd ${conf} --state-dir $S >/dev/null; echo "rc=$?"; grep extension ${MOUNT}/theirs`,
    );
    expect(r.stdout).toBe('rc=1\nextension .old\n');
    expect(r.stderr).toContain(
      `${conf}/x.conf:1: error: 'theirs' is registered by someone else with a different definition`,
    );
  });
});

/**
 * import/export against real formats: update-binfmts itself (unpacked from
 * Debian's binfmt-support by scripts/install-deps.sh) is the oracle for its
 * format files; round trips through every format must give back the same
 * kernel entries.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, MOUNT } from '../helpers/sandbox.js';
import { binfmt, dump, into, must, register, run, sandboxedSteps, write } from '../helpers/steps.js';
import { needs, sandbox, files } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const UPDATE_BINFMTS = join(ROOT, '.cache/debs/binfmt-support/usr/sbin/update-binfmts');

const FORMATS: Record<string, string> = {
  java: 'package javawrapper\ninterpreter /bin/true\nmagic \\xca\\xfe\\xba\\xbe\n',
  creds: 'package foo\ninterpreter /bin/sh\nextension foo\ncredentials yes\nfix_binary yes\n',
  masked: 'package m\ninterpreter /bin/echo\nmagic MK\\x02\\x3a\noffset 4\nmask \\xff\\xff\\xfe\\xff\npreserve yes\n',
  plain: 'package p\ninterpreter /bin/echo\nmagic PP\npreserve no\ncredentials no\n',
};

function formatDir(formats: Record<string, string>): string {
  const dir = tempDir('binfmts-');
  for (const [n, t] of Object.entries(formats)) writeFileSync(join(dir, n), t);
  return dir;
}

/** A config root whose etc/binfmt.d is `dir`'s content (for apply). */
function applyDump(confDir: string): string {
  const [, r] = sandboxedSteps([
    must(binfmt('apply', '--config-root', confDir, '--state-dir', tempDir('state-'))),
    dump(),
  ]);
  expect(r!.stderr).toBe('');
  return r!.stdout;
}

describe('import and export', needs(sandbox()), () => {
  it(
    'update-binfmts format files: import --out then apply gives what update-binfmts --import registers',
    needs(files(UPDATE_BINFMTS)),
    () => {
      const imp = formatDir(FORMATS);
      const names = Object.keys(FORMATS).sort();
      const admin = tempDir('admindir-');
      const imports = names.map((n) =>
        must(run(UPDATE_BINFMTS, '--admindir', admin, '--importdir', imp, '--import', n)),
      );
      const oracle = sandboxedSteps([...imports, dump()]).at(-1)!;
      expect(oracle.status).toBe(0);
      expect(oracle.stdout).toContain('== masked');

      const root = tempDir('import-root-');
      const out = join(root, 'etc/binfmt.d');
      const [r] = sandboxedSteps([binfmt('import', '--from', 'binfmt-support', imp, '--out', out, '--json')]);
      expect(r!.status).toBe(0);
      expect(JSON.parse(r!.stdout).written.map((w: { name: string }) => w.name)).toEqual(names);
      expect(applyDump(root)).toBe(oracle.stdout);
    },
  );

  it('says what it cannot keep, with the file and line', () => {
    const imp = formatDir({
      det: 'package d\ninterpreter /bin/echo\nmagic DD\ndetector /usr/bin/detect\n',
      bad: 'package b\ninterpreter /bin/sh\nmagic \\xZZ\nbogus 1\n',
    });
    const out = tempDir('import-out-');
    const [r] = sandboxedSteps([binfmt('import', '--from', 'binfmt-support', imp, '--out', out)]);
    expect(r!.status).toBe(1);
    expect(r!.stderr).toContain(`${imp}/bad:4: warning: unknown key 'bogus', ignoring`);
    expect(r!.stderr).toMatch(new RegExp(`${imp}/bad:3: error: .*magic`));
    expect(r!.stderr).toMatch(/'det': not kept: detector \/usr\/bin\/detect/);
    expect(readFileSync(join(out, '01-det.conf'), 'utf8')).toMatch(/# not kept: detector/);
  });

  it('kernel → each format → binfmt.d → kernel loses nothing', () => {
    const w = tempDir('roundtrip-');
    const lines = [
      ':rt-masked:M:7:AB\\x00\\x3a\\x5cx:\\xff\\xf0\\xff\\xff\\xff\\xff:/bin/echo:P',
      ':rt-ext:E::rtx::/bin/sh:OC',
      ':rt-fix:M::\\x7fRT::/bin/sh:F',
      ':rt-space:E::sp::/usr/bin/env FOO=1:',
    ];
    for (const k of ['bs', 'sd', 'proc']) mkdirSync(join(w, k, 'etc/binfmt.d'), { recursive: true });
    const steps = sandboxedSteps([
      ...lines.map((l) => must(register(l))),
      dump(),
      must(binfmt('export', '--format', 'binfmt-support', '--out', `${w}/bs-files`)),
      must(binfmt('import', '--from', 'binfmt-support', `${w}/bs-files`, '--out', `${w}/bs/etc/binfmt.d`)),
      must(into(`${w}/all.conf`, binfmt('export', '--format', 'systemd'))),
      must(binfmt('import', '--from', 'systemd', `${w}/all.conf`, '--out', `${w}/sd/etc/binfmt.d`)),
      must(binfmt('import', '--from', 'proc', '--out', `${w}/proc/etc/binfmt.d`)),
    ]);
    expect(steps.map((step) => step.stderr).join('')).toBe('');
    expect(steps.map((step) => step.status)).toEqual(steps.map(() => 0));
    const original = steps[lines.length]!.stdout;
    expect(original).toContain('== rt-space');
    // binfmt-support files carry no order: compare as sets of entries
    const entries = (dump: string): string[] => dump.split('== ').filter(Boolean).sort();
    expect(entries(applyDump(join(w, 'bs')))).toEqual(entries(original));
    expect(applyDump(join(w, 'sd'))).toBe(original);
    expect(applyDump(join(w, 'proc'))).toBe(original);
  });

  it('export says what a format cannot hold; import without --out registers, owned by binfmt', () => {
    const conf = tempDir('imp-');
    writeFileSync(join(conf, 'x.conf'), ':imp-a:E::ia::/bin/sh:\n');
    const state = tempDir('state-');
    const [, , exported, , owned] = sandboxedSteps([
      register(':o-only:E::oo::/bin/sh:O'),
      write(`${MOUNT}/o-only`, '0\n'),
      binfmt('export', '--format', 'binfmt-support'),
      must(binfmt('import', '--from', 'systemd', conf, '--state-dir', state)),
      run('cat', join(state, 'proc-sys-fs-binfmt_misc.json')),
    ]);
    expect(owned!.status).toBe(0);
    expect(exported!.stderr).toContain("'o-only': not kept: flag O without C");
    expect(exported!.stderr).toContain("'o-only': not kept: disabled");
    expect(JSON.parse(owned!.stdout).entries.map((e: { name: string }) => e.name)).toEqual(['imp-a']);
  });

  it('import without --out leaves a differently registered foreign entry alone and says so', () => {
    const conf = tempDir('imp-');
    writeFileSync(join(conf, 'x.conf'), ':theirs:E::new::/bin/sh:\n');
    const [, r, theirs] = sandboxedSteps([
      register(':theirs:E::old::/bin/sh:'),
      binfmt('import', '--from', 'systemd', conf, '--state-dir', tempDir('state-')),
      run('grep', 'extension', `${MOUNT}/theirs`),
    ]);
    expect([r!.status, theirs!.stdout]).toEqual([1, 'extension .old\n']);
    expect(r!.stderr).toContain(
      `${conf}/x.conf:1: error: 'theirs' is registered by someone else with a different definition`,
    );
  });
});

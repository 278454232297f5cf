import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOUNT } from '../helpers/sandbox.js';
import { binfmt, entries, must, register, run, sandboxedSteps, write } from '../helpers/steps.js';
import { parseMountinfo, mountAt } from '../../src/core/mountinfo.js';
import { mountFindings } from '../../src/core/doctor-findings.js';
import { entryShadows, entriesOverlap } from '../../src/core/entry-overlap.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';
import { entry } from '../helpers/entry.js';

describe('doctor, pure parts', () => {
  it('reads mountinfo and tells an untriggered automount from a missing mount', () => {
    const info = parseMountinfo(
      '25 1 0:23 / /proc rw - proc proc rw\n' +
        '40 25 0:35 / /proc/sys/fs/binfmt_misc rw,relatime shared:13 - autofs systemd-1 rw,fd=29\n' +
        '41 25 0:36 / /mnt/with\\040space rw - tmpfs none rw\n',
    );
    expect(mountAt(info, '/mnt/with space')?.fsType).toBe('tmpfs');
    const auto = mountAt(info, '/proc/sys/fs/binfmt_misc');
    expect(
      mountFindings({
        path: '/proc/sys/fs/binfmt_misc',
        exists: true,
        mount: auto,
        initialUserns: true,
        enabled: null,
      }).map((f) => f.code),
    ).toEqual(['automount-untriggered']);
    expect(
      mountFindings({ path: '/x', exists: true, mount: null, initialUserns: true, enabled: null })[0],
    ).toMatchObject({ severity: 'error', code: 'not-mounted' });
  });

  it('knows when a newer entry covers every file of an older one', () => {
    expect(entryShadows(entry(':n:M::A::/x:'), entry(':o:M::AB::/x:'))).toBe(true);
    expect(entryShadows(entry(':n:M::AB::/x:'), entry(':o:M::A::/x:'))).toBe(false);
    expect(entryShadows(entry(':n:M::\\x02:\\xfe:/x:'), entry(':o:M::\\x03::/x:'))).toBe(true);
    expect(entryShadows(entry(':n:M:1:B::/x:'), entry(':o:M::AB::/x:'))).toBe(true);
    expect(entryShadows(entry(':n:E::a::/x:'), entry(':o:E::a::/y:'))).toBe(true);
    expect(entryShadows(entry(':n:E::a::/x:'), entry(':o:M::A::/y:'))).toBe(false);
    expect(entriesOverlap(entry(':a:M::AB::/x:'), entry(':b:M::AC::/x:'))).toBe(false);
    expect(entriesOverlap(entry(':a:M::AB:\\xff\\xf0:/x:'), entry(':b:M::AC::/x:'))).toBe(true);
  });
});

describe('binfmt doctor in a private instance', needs(sandbox()), () => {
  it('finds missing interpreters, stale F pins, shadowing, leftovers, drift and unowned entries, and exits 1', () => {
    const root = tempDir('doctor-');
    mkdirSync(join(root, 'etc/binfmt.d'), { recursive: true });
    writeFileSync(join(root, 'etc/binfmt.d/a.conf'), ':conf-a:E::ca::/bin/sh:\n:conf-b:E::cb::/bin/sh:\n');
    const [state, w] = [tempDir('state-'), tempDir('doctor-interp-')];
    copyFileSync('/bin/true', join(w, 'interp'));
    copyFileSync('/bin/true', join(w, 'gone'));
    copyFileSync('/bin/true', join(w, 'interp.new'));
    const [r] = sandboxedSteps([
      binfmt('apply', '--config-root', root, '--state-dir', state),
      register(`:pinned:E::pn::${w}/interp:F`),
      register(`:deleted:E::dl::${w}/gone:F`),
      run('mv', join(w, 'interp.new'), join(w, 'interp')),
      run('rm', join(w, 'gone')),
      register(':nointerp:E::ni::/nonexistent/x:'),
      register(':old:M::AB::/bin/sh:'),
      register(':new:M::A::/bin/sh:'),
      register(':x.binfmt-tmp:E::tmp::/bin/sh:'),
      write(`${MOUNT}/conf-b`, '-1\n'),
      binfmt('doctor', '--config-root', root, '--state-dir', state, '--no-probe', '--json'),
    ]).slice(-1);
    expect(r!.status).toBe(1);
    const out = JSON.parse(r!.stdout);
    expect(out.ok).toBe(false);
    const codes = out.findings.map((f: { code: string; subject: string }) => `${f.subject}:${f.code}`);
    for (const c of [
      'nointerp:interpreter-missing',
      'pinned:stale-pin',
      'deleted:pinned-deleted',
      'old:shadowed',
      'x.binfmt-tmp:leftover-temporary',
      'conf-b:drift-missing',
      'new:unowned',
      'pinned:fix-binary-dynamic',
    ]) {
      expect(codes).toContain(c);
    }
    expect(codes).not.toContain('conf-a:unowned');
    expect(codes).not.toContain('new:shadowed');
    expect(
      out.findings.every(
        (f: { fix: string | null; severity: string; code: string }) =>
          f.severity === 'info' || f.code === 'fix-binary-dynamic' || f.fix,
      ),
    ).toBe(true);
  });

  it("flags an entry that would capture this machine's own programs (registered disabled, so nothing breaks here)", () => {
    // the steps write to the kernel from the runner itself: no exec happens between registering and disabling
    const empty = tempDir('doctor-');
    const [r] = sandboxedSteps([
      register(':elf:M::\\x7fELF\\x02::/bin/sh:'),
      write(`${MOUNT}/elf`, '0\n'),
      binfmt('doctor', '--config-root', empty, '--state-dir', empty, '--no-probe', '--json'),
    ]).slice(-1);
    expect(r!.status).toBe(0);
    const f = JSON.parse(r!.stdout).findings.find((x: { code: string }) => x.code === 'captures-native');
    expect(f).toMatchObject({ severity: 'warning', subject: 'elf', fix: `binfmt remove elf --state-dir ${empty}` });
    expect(f.message).toMatch(/native executable .* \(once enabled; it is disabled now\)/);
  });

  it('a healthy instance exits 0; the feature probe runs in its own throw-away instance', () => {
    const empty = tempDir('doctor-');
    const [, r, listed] = sandboxedSteps([
      must(register(':ok:E::ok::/bin/sh:')),
      must(binfmt('doctor', '--config-root', empty, '--state-dir', empty, '--json')),
      entries(),
    ]);
    const codes = JSON.parse(r!.stdout).findings.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['userns-instances', 'kernel-flags', 'at-flags', 'unowned']));
    // the probe's entries never reached this instance
    expect(listed!.stdout.trim().split('\n').sort()).toEqual(['ok', 'register', 'status']);
  });

  it('says which configured entries the kernel will refuse, so that apply skips them', () => {
    const root = tempDir('doctor-refused-');
    mkdirSync(join(root, 'etc/binfmt.d'), { recursive: true });
    writeFileSync(join(root, 'etc/binfmt.d/x.conf'), ':gone:E::gone::/nonexistent/qemu:F\n');
    const [r] = sandboxedSteps([
      binfmt('doctor', '--config-root', root, '--state-dir', tempDir('state-'), '--no-probe', '--json'),
    ]);
    const findings = JSON.parse(r!.stdout).findings as { subject: string; message: string; severity: string }[];
    const message = expect.stringMatching(/^'gone': the kernel will refuse it \(ENOENT\)/);
    const subject = `${root}/etc/binfmt.d/x.conf:1`;
    expect(findings).toContainEqual(expect.objectContaining({ severity: 'warning', subject, message }));
  });
});

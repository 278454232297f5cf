/**
 * binfmt doctor's judgement from facts (src/core/doctor-findings.ts): each
 * situation gives its finding, with the severity that decides the exit code
 * and a fix that can be typed as shown. The facts are what the I/O layer
 * reads (mountinfo, status, a throw-away sandbox's probes, the entries);
 * test/ops/doctor.test.ts runs the whole command in a sandbox.
 */
import { describe, expect, it } from 'vitest';
import {
  driftFindings,
  entryFindings,
  featureFindings,
  mountFindings,
  type EntryFacts,
  type Finding,
  type MountFacts,
} from '../../src/core/doctor-findings.js';
import { renderFix } from '../../src/cli/fix-command.js';
import { planReconcile } from '../../src/core/reconcile-plan.js';
import { error, warning } from '../../src/core/diagnostic.js';
import type { Entry } from '../../src/core/entry.js';
import { entry } from '../helpers/entry.js';

const P = '/proc/sys/fs/binfmt_misc';
const MOUNT_CMD = `mount -t binfmt_misc -o nosuid,nodev,noexec binfmt_misc ${P}`;
const binfmtMisc = { mountPoint: P, fsType: 'binfmt_misc', source: 'binfmt_misc', options: 'rw' };
const mount = (over: Partial<MountFacts>): MountFacts => ({
  path: P,
  exists: true,
  mount: binfmtMisc,
  initialUserns: true,
  enabled: true,
  ...over,
});
/** A finding in one line, its fix in words as doctor prints it (without options to repeat). */
const brief = (fs: Finding[]): string[] =>
  fs.map((f) => `${f.severity} ${f.code} ${f.subject}${f.fix === null ? '' : ` fix: ${renderFix(f.fix, [])}`}`);

describe('mountFindings', () => {
  it('no mount point: binfmt_misc is not available', () => {
    const [f, ...rest] = mountFindings(mount({ exists: false, mount: null }));
    expect(rest).toEqual([]);
    expect(brief([f!])).toEqual([`error no-mount-point ${P} fix: modprobe binfmt_misc, then ${MOUNT_CMD}`]);
    expect(f!.message).toBe(`${P} does not exist: binfmt_misc is not available (module not loaded?)`);
  });

  it('not mounted, an untriggered automount, another file system', () => {
    expect(brief(mountFindings(mount({ mount: null })))).toEqual([`error not-mounted ${P} fix: ${MOUNT_CMD}`]);
    expect(mountFindings(mount({ mount: null }))[0]!.message).toContain(`not mounted at ${P}`);
    const auto = mountFindings(mount({ mount: { ...binfmtMisc, fsType: 'autofs' } }));
    expect(brief(auto)).toEqual([
      `warning automount-untriggered ${P} fix: ls ${P} (any access mounts it; from inside a container it must happen in the host's mount namespace)`,
    ]);
    expect(auto[0]!.message).toContain('automount point');
    const tmpfs = mountFindings(mount({ mount: { ...binfmtMisc, fsType: 'tmpfs' } }));
    expect(brief(tmpfs)).toEqual([`error wrong-fs ${P} fix: ${MOUNT_CMD}`]);
    expect(tmpfs[0]!.message).toBe(`${P} is a tmpfs mount, not binfmt_misc`);
  });

  it('which instance this is, and whether it is switched off', () => {
    expect(brief(mountFindings(mount({})))).toEqual([`info host-instance ${P}`]);
    expect(mountFindings(mount({}))[0]!.message).toContain("machine's own instance");
    expect(brief(mountFindings(mount({ initialUserns: false, enabled: false })))).toEqual([
      `info private-instance ${P}`,
      `warning status-disabled ${P} fix: binfmt status on`,
    ]);
    expect(mountFindings(mount({ initialUserns: false }))[0]!.message).toContain('its own instance (Linux 6.7+)');
    expect(mountFindings(mount({ initialUserns: null, enabled: false }))[0]!.message).toContain('switched off');
    expect(mountFindings(mount({ initialUserns: null, enabled: null }))).toEqual([]);
  });
});

describe('featureFindings', () => {
  it('unprobed: says why', () => {
    expect(featureFindings({ unavailable: 'kernel 6.1', flags: {}, atFlags: null })).toEqual([
      {
        severity: 'info',
        code: 'features-unprobed',
        subject: 'kernel',
        message: 'kernel features not probed: kernel 6.1',
        fix: null,
      },
    ]);
  });

  it('flags accepted and refused, and AT_FLAGS', () => {
    const all = featureFindings({ unavailable: null, flags: { P: true, O: true, C: true, F: true }, atFlags: true });
    expect(brief(all)).toEqual(['info userns-instances kernel', 'info kernel-flags kernel', 'info at-flags kernel']);
    expect(all[1]!.message).toBe('flags the kernel accepts: POCF');
    expect(all[2]!.message).toContain('AT_FLAGS_PRESERVE_ARGV0');
    expect(all[0]!.message).toContain('per-user-namespace binfmt_misc instances work');
    const old = featureFindings({ unavailable: null, flags: { P: true, O: true, C: true, F: false }, atFlags: false });
    expect(brief(old)).toEqual([
      'info userns-instances kernel',
      'info kernel-flags kernel',
      'warning no-fix-binary kernel',
      'warning no-at-flags kernel',
    ]);
    expect(old[1]!.message).toBe('flags the kernel accepts: POC; refuses: F');
    expect(old[2]!.message).toContain('before 4.8');
    expect(old[3]!.message).toContain('before 5.12');
    expect(featureFindings({ unavailable: null, flags: { P: false }, atFlags: null })[1]!.message).toBe(
      'flags the kernel accepts: (none); refuses: P',
    );
  });
});

const facts = (e: Entry, over: Partial<EntryFacts> = {}): EntryFacts => ({
  entry: e,
  interpreterErrno: null,
  pin: null,
  lint: [],
  owned: true,
  configured: true,
  ...over,
});

describe('entryFindings', () => {
  it('a healthy owned entry gives nothing', () => {
    expect(entryFindings([facts(entry(':ok:E::ok::/bin/sh:'))])).toEqual([]);
  });

  it('a temporary entry left by an interrupted change', () => {
    const f = entryFindings([facts(entry(':x.binfmt-tmp:E::t::/bin/sh:'), { owned: false, configured: false })]);
    expect(brief(f)).toEqual(['warning leftover-temporary x.binfmt-tmp fix: binfmt remove x.binfmt-tmp']);
    expect(f[0]!.message).toContain('interrupted');
  });

  it('F pins: replaced, missing; without F a missing interpreter is an error', () => {
    const e = entry(':q:M::AB::/usr/bin/q:F');
    const replaced = entryFindings([facts(e, { pin: 'replaced' })]);
    expect(brief(replaced)).toEqual([
      'warning stale-pin q fix: register it again so the kernel opens the new file: binfmt reorder q --before <an older entry> does that without a gap',
    ]);
    expect(replaced[0]!.message).toContain('/usr/bin/q is now a different file');
    const missing = entryFindings([facts(e, { pin: 'missing', interpreterErrno: 'ENOENT' })]);
    expect(brief(missing)).toEqual(['warning pinned-deleted q fix: reinstall /usr/bin/q, or remove the entry']);
    expect(missing[0]!.message).toContain('deleted /usr/bin/q');
    expect(entryFindings([facts(e, { pin: 'pinned' })])).toEqual([]);
    const gone = entryFindings([facts(entry(':n:E::n::/opt/n:'), { interpreterErrno: 'ENOENT' })]);
    expect(brief(gone)).toEqual(['error interpreter-missing n fix: install /opt/n, or binfmt remove n']);
    expect(gone[0]!.message).toBe(
      'interpreter /opt/n cannot be run (ENOENT): every matching exec fails with a confusing "No such file or directory"',
    );
    const denied = entryFindings([facts(entry(':n:E::n::/opt/n:'), { interpreterErrno: 'EACCES' })]);
    expect(denied[0]!.message).toBe('interpreter /opt/n cannot be run (EACCES): every matching exec fails');
  });

  it('the guards: errors stay errors while enabled, name advice is left out', () => {
    const lint = [
      error('captures-native', 'entry', 'captures /bin/sh'),
      error('self-match', 'entry', 'loops'),
      warning('credentials', 'flags', 'C'),
      warning('name-untidy', 'name', 'x'),
    ];
    expect(brief(entryFindings([facts(entry(':g:M::AB::/i:'), { lint })]))).toEqual([
      'error captures-native g fix: binfmt remove g',
      'error self-match g fix: binfmt remove g',
      'warning credentials g',
    ]);
    const off = entryFindings([facts(entry(':g:M::AB::/i:', false), { lint })]);
    expect(brief(off)).toEqual([
      'warning captures-native g fix: binfmt remove g',
      'warning self-match g fix: binfmt remove g',
      'warning credentials g',
    ]);
    expect(off[0]!.message).toBe('captures /bin/sh (once enabled; it is disabled now)');
    expect(off[2]!.message).toBe('C');
  });

  it('shadowed by a newer entry, with the reorder that fixes it (and --force when not owned)', () => {
    const f = entryFindings([
      facts(entry(':broad:M::A::/b:')),
      facts(entry(':narrow:M::AB::/n:'), { owned: false, configured: false }),
    ]);
    expect(brief(f)).toEqual([
      'warning shadowed narrow fix: binfmt reorder narrow --before broad --force, or remove one of them',
      'info unowned narrow',
    ]);
    expect(f[0]!.message).toBe("never runs: the newer entry 'broad' matches every file it matches");
    expect(f[1]!.message).toContain('binfmt leaves it alone');
    expect(brief(entryFindings([facts(entry(':broad:M::A::/b:')), facts(entry(':narrow:M::AB::/n:'))]))[0]).toBe(
      'warning shadowed narrow fix: binfmt reorder narrow --before broad, or remove one of them',
    );
  });

  it('unowned: only when neither owned nor configured', () => {
    expect(brief(entryFindings([facts(entry(':u:E::u::/u:'), { owned: false, configured: true })]))).toEqual([]);
    expect(brief(entryFindings([facts(entry(':u:E::u::/u:'), { owned: true, configured: false })]))).toEqual([]);
  });
});

describe('driftFindings', () => {
  it('one finding per difference between kernel and configuration', () => {
    const equal = (a: string, b: string): boolean => a === b;
    const plan = planReconcile(
      [
        { name: 'missing', def: 'm', source: 'a.conf:1' },
        { name: 'changed', def: 'new', source: 'a.conf:2' },
        { name: 'foreign', def: 'mine', source: 'a.conf:3' },
        { name: 'first', def: 'f', source: 'a.conf:4' },
        { name: 'second', def: 's', source: 'a.conf:5' },
      ],
      [
        { name: 'changed', def: 'old', owned: true },
        { name: 'foreign', def: 'theirs', owned: false },
        { name: 'second', def: 's', owned: true },
        { name: 'first', def: 'f', owned: true },
        { name: 'stale', def: 'x', owned: true },
      ],
      { equal },
    );
    // driftFindings reads only names, kinds and sources: plain strings stand in for definitions.
    const f = driftFindings(plan as unknown as Parameters<typeof driftFindings>[0]);
    // conflicts come first (they are set aside), then the configured order;
    // 'changed' is registered anew, so 'first' and 'second' must follow it.
    expect(brief(f)).toEqual([
      'warning drift-foreign foreign fix: binfmt apply --force takes it over',
      'warning drift-missing missing fix: binfmt apply',
      'warning drift-changed changed fix: binfmt apply (binfmt plan shows the fields)',
      'warning drift-order first fix: binfmt apply',
      'warning drift-order second fix: binfmt apply',
      'info drift-stale stale fix: binfmt apply --prune',
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'configured at a.conf:3, but someone else registered it differently',
      'configured at a.conf:1 but not registered',
      'differs from its configuration at a.conf:2',
      'match order differs from the configuration (a.conf:4)',
      'match order differs from the configuration (a.conf:5)',
      'registered by binfmt but no longer configured',
    ]);
  });

  it('stale and owned by a binfmt command: keeping it at boot is persist, or emulate --persist for an emulator', () => {
    const equal = (a: string, b: string): boolean => a === b;
    const plan = planReconcile(
      [],
      ['qemu-aarch64', 'mine', 'gone', 'odd'].map((name) => ({ name, def: name, owned: true })),
      { equal },
    );
    const sources = new Map([
      ['qemu-aarch64', 'binfmt emulate --podman aarch64'],
      ['mine', 'binfmt register mine'],
      ['odd', 'binfmt registers'],
    ]);
    const f = driftFindings(plan as unknown as Parameters<typeof driftFindings>[0], sources);
    expect(brief(f)).toEqual([
      'info registered-unconfigured qemu-aarch64 fix: binfmt emulate --persist aarch64 keeps it at boot',
      'info registered-unconfigured mine fix: binfmt persist mine keeps it at boot',
      'info drift-stale gone fix: binfmt apply --prune',
      'info drift-stale odd fix: binfmt apply --prune',
    ]);
    expect(f[0]!.message).toBe(
      'registered with binfmt emulate, and no configuration names it: binfmt owns it, and apply --prune would remove it',
    );
    expect(f[1]!.message).toMatch(/^registered with binfmt register, /);
  });
});

describe('a stale F pin of an emulator', () => {
  it('is fixed by binfmt emulate, with --force when binfmt does not own the entry', () => {
    const qemu = entry(
      ':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:' +
        '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:POF',
    );
    const stale = (owned: boolean): string[] =>
      brief(entryFindings([facts(qemu, { pin: 'replaced', owned, configured: owned })])).filter((l) =>
        l.includes('stale-pin'),
      );
    expect(stale(true)).toEqual([
      'warning stale-pin qemu-aarch64 fix: register it again so the kernel opens the new file: binfmt emulate aarch64',
    ]);
    expect(stale(false)).toEqual([
      'warning stale-pin qemu-aarch64 fix: register it again so the kernel opens the new file: binfmt emulate aarch64 --force',
    ]);
  });
});

/**
 * binfmt emulate in a private binfmt_misc (binfmt sandbox), with the emulators
 * unpacked from Debian's qemu-user-static (--emulator-dir, never installed):
 * static aarch64 and riscv64 programs, cross-built here, run through the
 * entries with argv[0] kept; x86_64 runs natively and registers nothing; a
 * second run changes nothing in the kernel; --remove leaves a hand-made entry.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARGV_PROGRAM, buildC } from '../helpers/fixtures.js';
import { ROOT, sandboxed } from '../helpers/sandbox.js';
import { command, files, needs, sandbox } from '../helpers/skip-gate.js';

const QEMU_DIR = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin');
const QEMU_A64 = join(QEMU_DIR, 'qemu-aarch64-static');
const QEMU_RV64 = join(QEMU_DIR, 'qemu-riscv64-static');
const E = `--emulator-dir ${QEMU_DIR}`;
const M = '/proc/sys/fs/binfmt_misc';
/** Scratch space inside the sandbox: its /run/binfmt is a private copy, discarded at exit (nothing lands in the host's /tmp). */
const SCRATCH = '/run/binfmt/scratch';

const CROSS = needs(
  sandbox(),
  command('aarch64-linux-gnu-gcc', '--version'),
  command('riscv64-linux-gnu-gcc', '--version'),
  files(QEMU_A64, QEMU_RV64),
);

describe('binfmt emulate', CROSS, () => {
  let a64 = '';
  let rv64 = '';
  beforeAll(() => {
    a64 = buildC('argv-aarch64', ARGV_PROGRAM, ['-static', '-O2'], { cc: 'aarch64-linux-gnu-gcc' });
    rv64 = buildC('argv-riscv64', ARGV_PROGRAM, ['-static', '-O2'], { cc: 'riscv64-linux-gnu-gcc' });
  });

  it('registers arm64 and riscv64 (OCI and qemu names): the programs run, argv[0] kept', () => {
    const r = sandboxed(`set -e
      ! ${a64} 2>/dev/null || { echo "ran before registering"; exit 9; }
      $CLI emulate linux/arm64 riscv64 ${E}
      cat ${M}/qemu-aarch64
      (exec -a first-name ${a64} one)
      (exec -a second-name ${rv64} two)`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`aarch64: registered qemu-aarch64 in ${M}`);
    expect(r.stdout).toContain(`riscv64: registered qemu-riscv64 in ${M}`);
    expect(r.stdout).toContain(`interpreter ${QEMU_A64}\nflags: POF\n`);
    expect(r.stdout).toContain(
      'magic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n',
    );
    expect(r.stdout).toContain('argv[0]=first-name\nargv[1]=one\n');
    expect(r.stdout).toContain('argv[0]=second-name\nargv[1]=two\n');
  });

  it('works in a chroot that holds no emulator (F)', () => {
    const r = sandboxed(`set -e
      $CLI emulate aarch64 ${E} >/dev/null
      root=${SCRATCH}; mkdir -p $root; cp ${a64} $root/prog
      chroot $root /prog inside`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('argv[0]=/prog\nargv[1]=inside\n');
  });

  it('registers nothing for x86_64, which the CPU runs itself (exit 0)', () => {
    const r = sandboxed(`$CLI emulate x86_64 amd64 ${E}; echo rc=$?; ls ${M}`);
    expect(r.stdout).toBe('x86_64: the CPU runs linux/amd64 itself: nothing to register\nrc=0\nregister\nstatus\n');
  });

  it('a second run makes no kernel operation', needs(command('strace', '-V')), () => {
    const r = sandboxed(`set -e
      w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
      $CLI emulate aarch64 ${E} >/dev/null
      strace -f -qq -e trace=openat -o "$w/trace" $CLI emulate aarch64 ${E} --json > "$w/out"
      grep -c 'binfmt_misc/register' "$w/trace" || true
      grep 'binfmt_misc' "$w/trace" | grep -c O_WRONLY || true
      node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(o.changed, o.outcomes[0].action)' "$w/out"`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0\n0\nfalse unchanged\n');
  });

  it('--dry-run says what it would register and registers nothing', () => {
    const r = sandboxed(`$CLI emulate aarch64 ${E} --dry-run; ls ${M}`);
    expect(r.stdout).toContain(`aarch64: would register qemu-aarch64 in ${M}: :qemu-aarch64:M::`);
    expect(r.stdout).toMatch(/\nregister\nstatus\n$/);
  });

  it('--remove removes its own entries and leaves a hand-made qemu-aarch64, with a note', () => {
    const hand = `:qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:${QEMU_A64}:F`;
    const r = sandboxed(`
      printf '%s' '${hand}' > ${M}/register
      $CLI emulate aarch64 riscv64 ${E}; echo rc=$?
      $CLI emulate --remove all; echo rc=$?
      ls ${M}; grep flags ${M}/qemu-aarch64
      $CLI emulate --remove arm64; echo rc=$?`);
    expect(r.stdout).toContain('riscv64: registered qemu-riscv64');
    expect(r.stdout).toContain('rc=0\nriscv64: removed qemu-riscv64 from');
    expect(r.stdout).toContain('qemu-aarch64\nregister\nstatus\nflags: F\nrc=1\n');
    expect(r.stderr).toContain("aarch64: 'qemu-aarch64' exists, registered by someone else");
    expect(r.stderr).toContain("aarch64: 'qemu-aarch64' was not registered by binfmt");
    expect(r.stderr).toMatch(
      /binfmt: emulate --remove: 'qemu-aarch64' was not registered by binfmt \(.*\): left alone/,
    );
  });

  it('--force takes over a foreign entry; --remove then removes it', () => {
    const r = sandboxed(`set -e
      printf '%s' ':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7::/bin/false:' > ${M}/register
      $CLI emulate aarch64 ${E} --force 2>&1
      grep flags ${M}/qemu-aarch64
      $CLI emulate --remove aarch64; ls ${M}`);
    expect(r.stdout).toContain('registered qemu-aarch64 again');
    expect(r.stdout).toContain('taken over (--force)');
    expect(r.stdout).toContain('flags: POF\naarch64: removed qemu-aarch64');
    expect(r.stdout).toMatch(/\nregister\nstatus\n$/);
  });

  it("a relative --emulator-dir is registered as an absolute path (F resolves it once, against binfmt's cwd)", () => {
    const r = sandboxed(
      `mkdir -p ${SCRATCH}/q && cp ${QEMU_A64} ${SCRATCH}/q/ && cd ${SCRATCH} && $CLI emulate aarch64 --emulator-dir q --dry-run`,
    );
    expect(r.stdout).toContain(`:${SCRATCH}/q/qemu-aarch64-static:POF\n`);
  });

  it('--credentials adds C', () => {
    const r = sandboxed(`$CLI emulate aarch64 ${E} --credentials >/dev/null; grep flags ${M}/qemu-aarch64`);
    expect(r.stdout).toBe('flags: POCF\n');
  });

  it('--status proves each emulated architecture by running its probe through the entry', () => {
    const broken = `:qemu-riscv64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/nonexistent/qemu-riscv64:`;
    const r = sandboxed(`set -e
      $CLI emulate aarch64 ${E} >/dev/null
      printf '%s' '${broken}' > ${M}/register
      $CLI emulate --status --json > /dev/null
      $CLI emulate --status`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^x86_64 +linux\/amd64 +native$/m);
    expect(r.stdout).toMatch(
      new RegExp(
        `^aarch64 +linux/arm64 +emulated; by qemu-aarch64 \\(${QEMU_A64}, flags POF\\); works in containers$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(
      /^riscv64 +linux\/riscv64 +broken; by qemu-riscv64 \(\/nonexistent\/qemu-riscv64, flags -\); not in containers \(no F\); the probe does not run through it$/m,
    );
    const json = sandboxed(`$CLI emulate aarch64 ${E} >/dev/null; $CLI emulate --status --json`);
    const s = JSON.parse(json.stdout) as {
      supported: string[];
      emulators: string[];
      arches: { arch: string; pin: string; owned: boolean }[];
    };
    expect(s.supported.slice(0, 3)).toEqual(['linux/amd64', 'linux/386', 'linux/arm64']);
    expect(s.supported).not.toContain('linux/riscv64');
    expect(s.emulators).toEqual(['qemu-aarch64']);
    expect(s.arches.find((a) => a.arch === 'aarch64')).toMatchObject({ pin: 'pinned', owned: true });
  });

  it('--persist writes /etc/binfmt.d/qemu-ARCH.conf, owned as apply owns it; --remove --persist removes both', () => {
    const r = sandboxed(`set -e
      $CLI emulate aarch64 ${E} --persist
      tail -1 /etc/binfmt.d/qemu-aarch64.conf
      $CLI plan | grep qemu
      $CLI emulate aarch64 ${E} --persist
      $CLI emulate --remove aarch64 --persist
      ls /etc/binfmt.d ${M}`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('wrote /etc/binfmt.d/qemu-aarch64.conf\n:qemu-aarch64:M::\\x7fELF');
    expect(r.stdout).toContain(`:${QEMU_A64}:POF\nunchanged  qemu-aarch64\n`);
    expect(r.stdout).toContain('already registered in');
    expect(r.stdout).toContain('already persisted in /etc/binfmt.d/qemu-aarch64.conf\n');
    expect(r.stdout).toContain('aarch64: removed /etc/binfmt.d/qemu-aarch64.conf\n');
    expect(r.stdout).not.toContain('qemu-aarch64.conf\n/proc');
    expect(r.stdout).toMatch(/register\nstatus\n$/);
  });

  it('--persist writes nothing when the kernel refuses the entry (an emulator on a noexec mount)', () => {
    const r = sandboxed(`d=${SCRATCH}; mkdir -p $d; mount -t tmpfs -o noexec tmp $d; cp ${QEMU_A64} $d/
      $CLI emulate aarch64 --emulator-dir $d --persist; echo rc=$?
      ls /etc/binfmt.d | grep -c qemu; ls ${M}`);
    expect(r.stderr).toMatch(/binfmt: qemu-aarch64: .*EACCES|permission denied/i);
    expect(r.stdout).toBe('rc=1\n0\nregister\nstatus\n');
  });

  it('with all, registers every architecture whose emulator is there, and lists the others', () => {
    const r = sandboxed(
      `d=${SCRATCH}; mkdir -p $d; ln -s ${QEMU_A64} ${QEMU_RV64} $d/; $CLI emulate all --emulator-dir $d --json`,
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { outcomes: { arch: string; action: string }[] };
    const by = Object.fromEntries(out.outcomes.map((o) => [o.arch, o.action]));
    expect(by.x86_64).toBe('native');
    expect(by.aarch64).toBe('register');
    expect(by.riscv64).toBe('register');
    expect(by.s390x).toBe('unavailable');
    expect(by.hexagon).toBe('unavailable');
  });
});

describe('binfmt emulate: bad input', needs(sandbox()), () => {
  it('an unknown architecture: one line listing the known ones', () => {
    const r = sandboxed(`$CLI emulate vax`);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown architecture 'vax'; known: x86_64, i386, aarch64, .*arm64.*, all/);
  });

  it('a missing emulator: the files looked for and the package', () => {
    const r = sandboxed(`$CLI emulate s390x --emulator-dir /usr/lib; ls ${M}`);
    expect(r.stderr).toContain(
      'binfmt: s390x: no emulator: none of /usr/lib/qemu-s390x-static, /usr/lib/qemu-s390x exists (Debian/Ubuntu: apt install qemu-user-static',
    );
    expect(r.stderr).toContain('Fedora: dnf install qemu-user-static-s390x');
    expect(r.stdout).toBe('register\nstatus\n');
  });

  it('a dynamically linked emulator is refused for F, unless --force', () => {
    // Any dynamic program stands for a dynamic qemu: only its PT_INTERP matters.
    const r = sandboxed(`d=${SCRATCH}; mkdir -p $d; cp /bin/true $d/qemu-aarch64
      $CLI emulate aarch64 --emulator-dir $d; echo rc=$?; ls ${M}
      $CLI emulate aarch64 --emulator-dir $d --force >/dev/null; echo rc=$?; ls ${M}`);
    expect(r.stderr).toMatch(/qemu-aarch64 is dynamically linked \(PT_INTERP \/lib64\/ld-linux-x86-64.so.2\)/);
    expect(r.stdout).toBe('rc=1\nregister\nstatus\nrc=0\nqemu-aarch64\nregister\nstatus\n');
  });

  it('all together with names, and --remove with --status, are usage errors', () => {
    expect(sandboxed(`$CLI emulate all arm64`).status).toBe(2);
    expect(sandboxed(`$CLI emulate --remove --status`).status).toBe(2);
    expect(sandboxed(`$CLI emulate`).stderr).toContain('name at least one architecture');
  });
});

/**
 * The built CLI against a real kernel instance (sandbox): the kernel state
 * after each command, the guards' refusals, --dry-run, --mount, exit codes
 * and the documented JSON shapes.
 */
import { describe, expect, it } from 'vitest';
import { cli, sandboxed } from '../helpers/sandbox.js';
import { compiled } from '../helpers/fixtures.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

const M = '/proc/sys/fs/binfmt_misc';
const run = (script: string): { status: number | null; stdout: string; stderr: string } =>
  sandboxed(`set -u\nWHO=${compiled('who')}\n${script}`);

describe('changing commands, checked in the kernel', needs(sandbox()), () => {
  it('register --line writes the entry the kernel shows; remove deletes it', () => {
    const r = run(
      `$CLI register --line ':hi:M:2:AB:\\xff\\xdf:'$WHO':POF' && cat ${M}/hi && $CLI remove hi && ls ${M}`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `enabled\ninterpreter ${compiled('who')}\nflags: POF\noffset 2\nmagic 4142\nmask ffdf\n`,
    );
    expect(r.stdout.trim().split('\n').slice(-2)).toEqual(['register', 'status']);
  });

  it('register from options and from a named definition in a binfmt.d directory', () => {
    const r = run(`d=$(mktemp -d); printf '# comment\\n:defd:E::dfd::%s:P\\n' "$WHO" > $d/defd.conf
$CLI register --name opt --extension opx --interpreter $WHO --flags O && $CLI register defd --config-dir $d && $CLI list --json`);
    expect(r.status, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as {
      name: string;
      flags: string;
      extension: string;
    }[];
    expect(list.map((e) => [e.name, e.extension, e.flags])).toEqual([
      ['defd', 'dfd', 'P'],
      ['opt', 'opx', 'O'],
    ]);
  });

  it('disable and enable keep the match position; status off and on', () => {
    const r = run(`$CLI register --line ':a:E::x::'$WHO':' && $CLI register --line ':b:E::y::'$WHO':' &&
$CLI disable a && head -1 ${M}/a && $CLI enable a && head -1 ${M}/a && $CLI list --json | node -e 'console.log(JSON.parse(require("fs").readFileSync(0,"utf8")).map(e=>e.name).join(","))' &&
$CLI status off && cat ${M}/status && $CLI status on && cat ${M}/status`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^(enabled|disabled|b,a)$/.test(l))).toEqual([
      'disabled',
      'enabled',
      'b,a',
      'disabled',
      'enabled',
    ]);
  });

  it('--dry-run changes nothing', () => {
    const r = run(
      `$CLI register --line ':a:E::x::'$WHO':' && $CLI register --dry-run --line ':b:E::y::'$WHO':' && $CLI disable --dry-run a && $CLI remove --dry-run a && $CLI status --dry-run off && ls ${M} && head -1 ${M}/a && cat ${M}/status`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/would register 'b'/);
    expect(r.stdout).toContain('a\nregister\nstatus\nenabled\nenabled\n');
  });

  it('refuses an entry that captures native executables, registers it with --force', () => {
    const r = run(`$CLI register --line ':bad:M::\\x7fELF\\x02::'$WHO':'; echo "rc=$?"; ls ${M}`);
    expect(r.stdout).toContain('rc=1');
    expect(r.stderr).toMatch(/captures-native/);
    expect(r.stdout).not.toContain('bad\n');
    // --force: the guard was right: WHO is itself a 64-bit ELF, so every such exec now loops (ELOOP).
    const f = run(`$CLI register --force --line ':bad:M::\\x7fELF\\x02::'$WHO':'; echo "rc=$?"; /bin/true zz`);
    expect(f.stdout).toContain('rc=0');
    expect(f.stderr).toContain('Too many levels of symbolic links');
  });

  it('refuses O with a #! script interpreter; the kernel proves the guard right (ENOEXEC)', () => {
    const r =
      run(`d=$(mktemp -d); printf '#!/bin/sh\\necho ran\\n' > $d/i; chmod +x $d/i; printf X > $d/f.sx; chmod +x $d/f.sx
$CLI register --line ":s:E::sx::$d/i:O"; echo "rc=$?"
$CLI register --force --line ":s:E::sx::$d/i:O" >/dev/null; python3 -c 'import os,sys,errno
try: os.execv(sys.argv[1], ["f"])
except OSError as e: print("exec:", errno.errorcode[e.errno])' $d/f.sx`);
    expect(r.stdout).toContain('rc=1');
    expect(r.stderr).toMatch(/open-binary-script/);
    expect(r.stdout).toContain('exec: ENOEXEC');
  });

  it("fails with the kernel's errno and a field-naming message, leaving nothing behind", () => {
    const r = run(
      `$CLI register --line ':x:M::\\xZZ::'$WHO':'; echo "rc=$?"; $CLI register --line ':status:E::z::'$WHO':' --json; echo "rc=$?"; ls ${M} | wc -l`,
    );
    expect(r.stderr).toMatch(/magic: \\x must be followed by two hex digits \(column 7\)/);
    expect(r.stdout).toMatch(/rc=1[\s\S]*"errno": "EEXIST"[\s\S]*rc=1\n2\n$/);
  });

  it('works on another mount with --mount', () => {
    const r = run(
      `alt=$(mktemp -d); mount -t binfmt_misc binfmt_misc $alt && $CLI register --mount $alt --line ':m:E::mm::'$WHO':' && $CLI list --mount $alt --json && $CLI which --mount $alt /etc/hostname --exec-path x.mm --json && $CLI remove --mount $alt m && ls $alt`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('"name": "m"');
    expect(r.stdout).toContain('"entry": "m"');
  });

  it('says clearly when binfmt_misc is not mounted', () => {
    const r = run(`$CLI list --mount /tmp; echo "rc=$?"`);
    expect(r.stderr).toMatch(/binfmt_misc is not mounted at \/tmp/);
    expect(r.stdout).toContain('rc=1');
  });
});

describe('validate (offline)', () => {
  it('prints the contract shape for arguments and --stdin, exit 1 if any is invalid', () => {
    const a = cli(['validate', '--json', ':ok:E::x::/bin/sh:', ':bad:Q::x::/bin/sh:']);
    expect(a.status).toBe(1);
    const v = JSON.parse(a.stdout) as {
      input: string;
      valid: boolean;
      errno: string | null;
      diagnostics: { severity: string; code: string; message: string }[];
    }[];
    expect(v.map((x) => [x.input, x.valid, x.errno])).toEqual([
      [':ok:E::x::/bin/sh:', true, null],
      [':bad:Q::x::/bin/sh:', false, 'EINVAL'],
    ]);
    expect(v[1]!.diagnostics[0]).toMatchObject({ severity: 'error', code: 'type' });
    const s = cli(['validate', '--json', '--stdin'], { input: ':a:E::x::/bin/sh:\n:b:E::y::/bin/sh:P\n' });
    expect(s.status).toBe(0);
    expect((JSON.parse(s.stdout) as unknown[]).length).toBe(2);
  });

  it('exits 2 on usage errors', () => {
    expect(cli(['validate']).status).toBe(2);
    expect(cli(['no-such-command']).status).toBe(2);
    expect(cli(['register', '--bogus']).status).toBe(2);
  });
});

/**
 * The built CLI against a real kernel instance (sandbox): the kernel state
 * after each command, the guards' refusals, --dry-run, --mount, exit codes
 * and the documented JSON shapes.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../helpers/sandbox.js';
import { binfmt, entries, must, run, sandboxedSteps } from '../helpers/steps.js';
import { compiled } from '../helpers/fixtures.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const M = '/proc/sys/fs/binfmt_misc';

describe('changing commands, checked in the kernel', needs(sandbox()), () => {
  const WHO = compiled('who');

  it('register --line writes the entry the kernel shows; remove deletes it', () => {
    const [, hi, , listed] = sandboxedSteps([
      must(binfmt('register', '--line', `:hi:M:2:AB:\\xff\\xdf:${WHO}:POF`)),
      must(run('cat', `${M}/hi`)),
      must(binfmt('remove', 'hi')),
      must(run('ls', M)),
    ]);
    expect(hi!.stdout).toContain(
      `enabled\ninterpreter ${compiled('who')}\nflags: POF\noffset 2\nmagic 4142\nmask ffdf\n`,
    );
    expect(listed!.stdout.trim().split('\n')).toEqual(['register', 'status']);
  });

  it('register from options and from a named definition in a binfmt.d directory', () => {
    const d = tempDir('defd-');
    writeFileSync(join(d, 'defd.conf'), `# comment\n:defd:E::dfd::${WHO}:P\n`);
    const [, , r] = sandboxedSteps([
      must(binfmt('register', '--name', 'opt', '--extension', 'opx', '--interpreter', WHO, '--flags', 'O')),
      must(binfmt('register', 'defd', '--config-dir', d)),
      must(binfmt('list', '--json')),
    ]);
    const list = JSON.parse(r!.stdout) as {
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
    const firstLine = run('head', '-1', `${M}/a`);
    const status = run('cat', `${M}/status`);
    const r = sandboxedSteps(
      [
        binfmt('register', '--line', `:a:E::x::${WHO}:`),
        binfmt('register', '--line', `:b:E::y::${WHO}:`),
        binfmt('disable', 'a'),
        firstLine,
        binfmt('enable', 'a'),
        firstLine,
        binfmt('list', '--json'),
        binfmt('status', 'off'),
        status,
        binfmt('status', 'on'),
        status,
      ].map(must),
    );
    expect(r.map((step) => step.status)).toEqual(r.map(() => 0));
    const names = (JSON.parse(r[6]!.stdout) as { name: string }[]).map((e) => e.name).join(',');
    expect([r[3]!.stdout, r[5]!.stdout, names, r[8]!.stdout, r[10]!.stdout]).toEqual([
      'disabled\n',
      'enabled\n',
      'b,a',
      'disabled\n',
      'enabled\n',
    ]);
  });

  it('--dry-run changes nothing', () => {
    const r = sandboxedSteps(
      [
        binfmt('register', '--line', `:a:E::x::${WHO}:`),
        binfmt('register', '--dry-run', '--line', `:b:E::y::${WHO}:`),
        binfmt('disable', '--dry-run', 'a'),
        binfmt('remove', '--dry-run', 'a'),
        binfmt('status', '--dry-run', 'off'),
        run('ls', M),
        run('head', '-1', `${M}/a`),
        run('cat', `${M}/status`),
      ].map(must),
    );
    expect(r[1]!.stdout).toMatch(/would register 'b'/);
    expect(r.slice(-3).map((step) => step.stdout)).toEqual(['a\nregister\nstatus\n', 'enabled\n', 'enabled\n']);
  });

  it('refuses an entry that captures native executables, registers it with --force', () => {
    const line = `:bad:M::\\x7fELF\\x02::${WHO}:`;
    const [r, listed] = sandboxedSteps([binfmt('register', '--line', line), run('ls', M)]);
    expect(r!.status).toBe(1);
    expect(r!.stderr).toMatch(/captures-native/);
    expect(listed!.stdout).not.toContain('bad\n');
    // --force: the guard was right: WHO is itself a 64-bit ELF, so every such exec now loops (ELOOP).
    const [f, after] = sandboxedSteps([binfmt('register', '--force', '--line', line), run('/bin/true', 'zz')]);
    expect(f!.status).toBe(0);
    expect(after!.stderr).toContain('ELOOP');
  });

  it('refuses O with a #! script interpreter; the kernel proves the guard right (ENOEXEC)', () => {
    const d = tempDir('script-interp-');
    writeFileSync(join(d, 'i'), '#!/bin/sh\necho ran\n');
    writeFileSync(join(d, 'f.sx'), 'X');
    for (const f of ['i', 'f.sx']) chmodSync(join(d, f), 0o755);
    const [r, , ran] = sandboxedSteps([
      binfmt('register', '--line', `:s:E::sx::${d}/i:O`),
      binfmt('register', '--force', '--line', `:s:E::sx::${d}/i:O`),
      run('python3', fileURLToPath(new URL('scripts/execv.py', import.meta.url)), `${d}/f.sx`),
    ]);
    expect(r!.status).toBe(1);
    expect(r!.stderr).toMatch(/open-binary-script/);
    expect(ran!.stdout).toContain('exec: ENOEXEC');
  });

  it("fails with the kernel's errno and a field-naming message, leaving nothing behind", () => {
    const [bad, taken, listed] = sandboxedSteps([
      binfmt('register', '--line', `:x:M::\\xZZ::${WHO}:`),
      binfmt('register', '--line', `:status:E::z::${WHO}:`, '--json'),
      entries(),
    ]);
    expect(bad!.stderr).toMatch(/magic: \\x must be followed by two hex digits \(column 7\)/);
    expect([bad!.status, taken!.status]).toEqual([1, 1]);
    expect(taken!.stdout).toMatch(/"errno": "EEXIST"/);
    expect(listed!.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('works on another mount with --mount', () => {
    const alt = tempDir('alt-mount-');
    const r = sandboxedSteps(
      [
        run('mount', '-t', 'binfmt_misc', 'binfmt_misc', alt),
        binfmt('register', '--mount', alt, '--line', `:m:E::mm::${WHO}:`),
        binfmt('list', '--mount', alt, '--json'),
        binfmt('which', '--mount', alt, '/etc/hostname', '--exec-path', 'x.mm', '--json'),
        binfmt('remove', '--mount', alt, 'm'),
        run('ls', alt),
      ].map(must),
    );
    expect(r[2]!.stdout).toContain('"name": "m"');
    expect(r[3]!.stdout).toContain('"entry": "m"');
  });

  it('says clearly when binfmt_misc is not mounted', () => {
    const [r] = sandboxedSteps([binfmt('list', '--mount', '/tmp')]);
    expect(r!.stderr).toMatch(/binfmt_misc is not mounted at \/tmp/);
    expect(r!.status).toBe(1);
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

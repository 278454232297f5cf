/**
 * binfmt inspect and binfmt mark (src/cli/commands/inspect.ts, mark.ts, over
 * src/elf): what inspect reports of real programs, the marker mark stamps in
 * e_flags and its refusals. binfmt check: test/runtime/check.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/tmp.js';

const json = (args: string[]) => {
  const r = cli([...args, '--json']);
  return { status: r.status, data: JSON.parse(r.stdout), stderr: r.stderr };
};
const tmp = tempDir('binfmt-icm-');

describe('binfmt inspect', () => {
  it('reports interp, needed and versionsNeeded as the contract names them', () => {
    const { status, data } = json(['inspect', '/bin/ls']);
    expect(status).toBe(0);
    expect(data.interp).toBe('/lib64/ld-linux-x86-64.so.2');
    expect(data.needed).toContain('libc.so.6');
    expect(data.versionsNeeded['libc.so.6']).toContain('GLIBC_2.34');
    expect(data.marker).toBeNull();
  });
  it('fails with ENOEXEC naming the file and field for a non-ELF file, ENOENT for a missing one', () => {
    const bad = json(['inspect', '/etc/hostname']);
    expect(bad.status).toBe(1);
    expect(bad.data.error).toMatchObject({ code: 'ENOEXEC', field: 'e_ident[EI_MAG]' });
    expect(bad.stderr).toContain('/etc/hostname');
    const none = json(['inspect', join(tmp, 'nope')]);
    expect(none.status).toBe(1);
    expect(none.data.error.code).toBe('ENOENT');
  });
});

describe('binfmt mark', () => {
  it('stamps e_flags, keeps the program runnable, and inspect reports it after strip', () => {
    const f = join(tmp, 'true');
    copyFileSync('/bin/true', f);
    chmodSync(f, 0o755);
    const before = readFileSync(f);
    const dry = json(['mark', f, '--dry-run']);
    expect(dry.data).toMatchObject({ changed: false, dryRun: true, offset: 48, tag: 'HRT1' });
    expect(readFileSync(f).equals(before)).toBe(true);
    expect(json(['mark', f]).data).toMatchObject({ changed: true, tag: 'HRT1' });
    const after = readFileSync(f);
    expect(after.subarray(48, 52).toString('latin1')).toBe('HRT1');
    expect(Buffer.compare(after.subarray(0, 48), before.subarray(0, 48))).toBe(0);
    expect(Buffer.compare(after.subarray(52), before.subarray(52))).toBe(0);
    expect(spawnSync(f).status).toBe(0); // kernel and ld.so ignore e_flags on x86-64
    expect(spawnSync('strip', [f]).status).toBe(0);
    expect(json(['inspect', f]).data.marker).toBe('HRT1');
    // again: a no-op, not an error
    expect(json(['mark', f]).data).toMatchObject({ changed: false, alreadyMarked: true });
    expect(statSync(f).mode & 0o777).toBe(0o755);
  });
  it('refuses another tag over a marker, bad tags, and non-x86-64 files', () => {
    const f = join(tmp, 'true2');
    copyFileSync('/bin/true', f);
    expect(json(['mark', f, '--tag', 'AAAA']).status).toBe(0);
    const again = json(['mark', f, '--tag', 'BBBB']);
    expect(again.status).toBe(1);
    expect(again.data.error).toMatchObject({ code: 'EEXIST', field: 'e_flags' });
    expect(json(['mark', f, '--tag', 'TOOLONG']).data.error).toMatchObject({ code: 'EINVAL', field: '--tag' });
    // an aarch64 header (e_machine 183): e_flags is the ABI there
    const arm = join(tmp, 'aarch64');
    const b = readFileSync('/bin/true');
    b.writeUInt16LE(183, 18);
    writeFileSync(arm, b);
    const r = json(['mark', arm]);
    expect(r.status).toBe(1);
    expect(r.data.error).toMatchObject({ code: 'EINVAL', field: 'e_machine' });
    expect(r.stderr).toMatch(/ELF64 little-endian aarch64/);
  });
  it('names the file and the reason when it cannot write: a running program', () => {
    const f = join(tmp, 'sleeper');
    copyFileSync('/bin/sleep', f);
    chmodSync(f, 0o755);
    const child = spawn(f, ['10']);
    try {
      const r = json(['mark', f]);
      expect(r.status).toBe(1);
      expect(r.data.error).toMatchObject({ code: 'ETXTBSY', field: f });
      expect(r.stderr).toContain(`${f}: cannot write the marker: ETXTBSY (the file is being executed)`);
    } finally {
      child.kill();
    }
  });
});

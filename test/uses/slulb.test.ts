/**
 * SLUL end to end (issue 5): a .slulb is position-independent ELF with
 * DT_NEEDED libc and no PT_INTERP, which the kernel cannot run by itself.
 * After `binfmt register slulb` (by extension) or `slulb-magic` (by the SLUL
 * marker in e_flags) it runs when executed by path. All in private sandboxes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, sandboxed, MOUNT } from '../helpers/sandbox.js';
import { buildC, RUNTIME_PROGRAM } from '../helpers/fixtures.js';
import { needs, sandbox, root } from '../helpers/skip-gate.js';

describe('binfmt register slulb', needs(sandbox()), () => {
  let dir = '';
  let loaders = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'binfmt-slulb-'));
    loaders = mkdtempSync(join(tmpdir(), 'binfmt-loaders-'));
    chmodSync(loaders, 0o755);
    const slulb = buildC('slulb', RUNTIME_PROGRAM, ['-fPIE', '-pie', '-Wl,--no-dynamic-linker']);
    copyFileSync(slulb, join(dir, 'prog.slulb'));
    copyFileSync(slulb, join(dir, 'marked.slulb'));
    expect(cli(['mark', join(dir, 'marked.slulb'), '--tag', 'SLUL']).status).toBe(0);
    copyFileSync(join(dir, 'marked.slulb'), join(dir, 'marked-no-extension'));
    // an ordinary program (it has PT_INTERP) renamed to .slulb
    copyFileSync(buildC('runtime', RUNTIME_PROGRAM), join(dir, 'ordinary.slulb'));
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o755);
  });

  it('the kernel cannot run a .slulb by itself; ld.so can', () => {
    const direct = spawnSync(join(dir, 'prog.slulb'));
    expect(direct.signal).toBe('SIGSEGV');
    const viaLd = spawnSync('/lib64/ld-linux-x86-64.so.2', [join(dir, 'prog.slulb')], { encoding: 'utf8' });
    expect(viaLd.stdout).toContain('argv[0]=');
  });

  it('by extension: runs when executed by path, argv[0] and arguments intact, through the installed loader', () => {
    const r = sandboxed(`set -e
      $CLI register slulb --loader-dir ${loaders}
      cat ${MOUNT}/slulb
      $CLI loader show ${loaders}/slulb --json | grep -o '"entryP": *[a-z]*'
      (exec -a custom-name ${dir}/prog.slulb one "two words")`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`interpreter ${loaders}/slulb`);
    expect(r.stdout).toContain('flags: PF');
    // The copy knows its entry has P: argv[0] survives on kernels before 5.12 too.
    expect(r.stdout).toMatch(/"entryP": *true/);
    expect(r.stdout).toContain(`exe=${loaders}/slulb\nargv[0]=custom-name\nargv[1]=one\nargv[2]=two words\n`);
  });

  it('by magic: a SLUL-marked file runs under any name; an unmarked one renamed .slulb is not taken', () => {
    const r = sandboxed(`
      $CLI register slulb-magic --loader-dir ${loaders} >/dev/null || exit 99
      (exec -a m1 ${dir}/marked.slulb a); echo "rc=$?"
      (exec -a m2 ${dir}/marked-no-extension b); echo "rc=$?"
      ${dir}/ordinary.slulb c; echo "rc=$?"
      ${dir}/prog.slulb 2>/dev/null; echo "rc=$?"`);
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain(`exe=${loaders}/slulb-magic\nargv[0]=m1\nargv[1]=a\nrc=0`);
    expect(out).toContain(`exe=${loaders}/slulb-magic\nargv[0]=m2\nargv[1]=b\nrc=0`);
    // the ordinary program ran natively: its own file is /proc/self/exe
    expect(out).toContain(`exe=${dir}/ordinary.slulb\nargv[0]=${dir}/ordinary.slulb\nargv[1]=c\nrc=0`);
    // the unmarked .slulb went to the kernel's ELF loader and crashed (SIGSEGV: 128+11)
    expect(out).toMatch(/rc=139\n$/);
  });

  it("--dry-run stamps nothing and registers nothing; the machine's own binfmt_misc stays untouched", () => {
    const fresh = mkdtempSync(join(tmpdir(), 'binfmt-loaders-dry-'));
    chmodSync(fresh, 0o755);
    const r = sandboxed(`$CLI register slulb --loader-dir ${fresh} --dry-run --json; ls ${MOUNT}`);
    expect(r.status).toBe(0);
    const data = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('}') + 1));
    expect(data).toMatchObject({ registered: false, dryRun: true, loader: { path: `${fresh}/slulb`, written: false } });
    expect(data.line).toBe(`:slulb:E::slulb::${fresh}/slulb:PF`);
    expect(existsSync(join(fresh, 'slulb'))).toBe(false);
    expect(existsSync(`${MOUNT}/slulb`)).toBe(false);
    expect(existsSync(`${MOUNT}/slulb-magic`)).toBe(false);
  });

  it('registers through another mount of the instance with --mount', () => {
    const r = sandboxed(`set -e
      m=$(mktemp -d) && mount -t binfmt_misc binfmt_misc "$m"
      $CLI register slulb --loader-dir ${loaders} --mount "$m" --json | grep '"mount"'
      grep -x 'extension .slulb' "$m"/slulb
      (exec -a via-mount ${dir}/prog.slulb) | grep argv`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/"mount": "\/tmp\/[^"]+",\nextension \.slulb\nargv\[0\]=via-mount\n$/);
  });

  it('names --loader-dir when the loader cannot be installed there', () => {
    const r = sandboxed(`$CLI register slulb --loader-dir /etc/hostname/x --json`);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'ENOTDIR', field: '--loader-dir' });
    expect(r.stderr).toContain("cannot install the loader for 'slulb' in /etc/hostname/x: ENOTDIR");
  });

  it('refuses a loader directory that others can write', () => {
    const open = mkdtempSync(join(tmpdir(), 'binfmt-loaders-open-'));
    chmodSync(open, 0o777);
    const r = sandboxed(`$CLI register slulb --loader-dir ${open} --json`);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'EPERM', field: '--loader-dir' });
  });

  it('refuses a loader directory owned by someone else', needs(root()), () => {
    const theirs = mkdtempSync(join(tmpdir(), 'binfmt-loaders-theirs-'));
    chmodSync(theirs, 0o755);
    chownSync(theirs, 65534, 65534);
    const r = sandboxed(`$CLI register slulb --loader-dir ${theirs} --json`);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'EPERM', field: '--loader-dir' });
    expect(r.stderr).toContain('owned by uid 65534');
  });
});

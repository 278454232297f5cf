/**
 * SLUL end to end (issue 5): a .slulb is position-independent ELF with
 * DT_NEEDED libc and no PT_INTERP, which the kernel cannot run by itself.
 * After `binfmt register slulb` (by extension) or `slulb-magic` (by the SLUL
 * marker in e_flags) it runs when executed by path. All in private sandboxes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, chownSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, MOUNT } from '../helpers/sandbox.js';
import { binfmt, exec, must, run, sandboxedSteps } from '../helpers/steps.js';
import { buildC, RUNTIME_PROGRAM } from '../helpers/fixtures.js';
import { needs, sandbox, root } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

describe('binfmt register slulb', needs(sandbox()), () => {
  let dir = '';
  let loaders = '';
  beforeAll(() => {
    dir = tempDir('binfmt-slulb-');
    loaders = tempDir('binfmt-loaders-');
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
    const r = sandboxedSteps([
      must(binfmt('register', 'slulb', '--loader-dir', loaders)),
      must(run('cat', `${MOUNT}/slulb`)),
      must(binfmt('loader', 'show', `${loaders}/slulb`, '--json')),
      must(exec([`${dir}/prog.slulb`, 'one', 'two words'], { argv0: 'custom-name' })),
    ]);
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const [, entry, shown, ran] = r;
    expect(entry!.stdout).toContain(`interpreter ${loaders}/slulb`);
    expect(entry!.stdout).toContain('flags: PF');
    // The copy knows its entry has P: argv[0] survives on kernels before 5.12 too.
    expect(shown!.stdout).toMatch(/"entryP": *true/);
    expect(ran!.stdout).toContain(`exe=${loaders}/slulb\nargv[0]=custom-name\nargv[1]=one\nargv[2]=two words\n`);
  });

  it('by magic: a SLUL-marked file runs under any name; an unmarked one renamed .slulb is not taken', () => {
    const [, m1, m2, ordinary, unmarked] = sandboxedSteps([
      must(binfmt('register', 'slulb-magic', '--loader-dir', loaders)),
      exec([`${dir}/marked.slulb`, 'a'], { argv0: 'm1' }),
      exec([`${dir}/marked-no-extension`, 'b'], { argv0: 'm2' }),
      run(`${dir}/ordinary.slulb`, 'c'),
      run(`${dir}/prog.slulb`),
    ]);
    const ran = (step: typeof m1) => `${step!.stdout}status=${step!.status}`;
    expect(ran(m1)).toContain(`exe=${loaders}/slulb-magic\nargv[0]=m1\nargv[1]=a\nstatus=0`);
    expect(ran(m2)).toContain(`exe=${loaders}/slulb-magic\nargv[0]=m2\nargv[1]=b\nstatus=0`);
    // the ordinary program ran natively: its own file is /proc/self/exe
    expect(ran(ordinary)).toContain(`exe=${dir}/ordinary.slulb\nargv[0]=${dir}/ordinary.slulb\nargv[1]=c\nstatus=0`);
    // the unmarked .slulb went to the kernel's ELF loader and crashed
    expect(unmarked!.signal).toBe('SIGSEGV');
  });

  it("--dry-run stamps nothing and registers nothing; the machine's own binfmt_misc stays untouched", () => {
    const fresh = tempDir('binfmt-loaders-dry-');
    chmodSync(fresh, 0o755);
    const [r, listed] = sandboxedSteps([
      binfmt('register', 'slulb', '--loader-dir', fresh, '--dry-run', '--json'),
      run('ls', MOUNT),
    ]);
    expect([r!.status, listed!.status]).toEqual([0, 0]);
    const data = JSON.parse(r!.stdout);
    expect(data).toMatchObject({ registered: false, dryRun: true, loader: { path: `${fresh}/slulb`, written: false } });
    expect(data.line).toBe(`:slulb:E::slulb::${fresh}/slulb:PF`);
    expect(existsSync(join(fresh, 'slulb'))).toBe(false);
    expect(existsSync(`${MOUNT}/slulb`)).toBe(false);
    expect(existsSync(`${MOUNT}/slulb-magic`)).toBe(false);
  });

  it('registers through another mount of the instance with --mount', () => {
    const m = tempDir('binfmt-mount-');
    const r = sandboxedSteps([
      must(run('mount', '-t', 'binfmt_misc', 'binfmt_misc', m)),
      must(binfmt('register', 'slulb', '--loader-dir', loaders, '--mount', m, '--json')),
      must(run('grep', '-x', 'extension .slulb', `${m}/slulb`)),
      must(exec([`${dir}/prog.slulb`], { argv0: 'via-mount' })),
    ]);
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const [, registered, , ran] = r;
    expect(JSON.parse(registered!.stdout).mount).toBe(m);
    expect(ran!.stdout.split('\n').filter((l) => l.startsWith('argv'))).toEqual(['argv[0]=via-mount']);
  });

  it('names --loader-dir when the loader cannot be installed there', () => {
    const [r] = sandboxedSteps([binfmt('register', 'slulb', '--loader-dir', '/etc/hostname/x', '--json')]);
    expect(r!.status).toBe(1);
    expect(JSON.parse(r!.stdout).error).toMatchObject({ code: 'ENOTDIR', field: '--loader-dir' });
    expect(r!.stderr).toContain("cannot install the loader for 'slulb' in /etc/hostname/x: ENOTDIR");
  });

  it('refuses a loader directory that others can write', () => {
    const open = tempDir('binfmt-loaders-open-');
    chmodSync(open, 0o777);
    const [r] = sandboxedSteps([binfmt('register', 'slulb', '--loader-dir', open, '--json')]);
    expect(r!.status).toBe(1);
    expect(JSON.parse(r!.stdout).error).toMatchObject({ code: 'EPERM', field: '--loader-dir' });
  });

  it('refuses a loader directory owned by someone else', needs(root()), () => {
    const theirs = tempDir('binfmt-loaders-theirs-');
    chmodSync(theirs, 0o755);
    chownSync(theirs, 65534, 65534);
    const [r] = sandboxedSteps([binfmt('register', 'slulb', '--loader-dir', theirs, '--json')]);
    expect(r!.status).toBe(1);
    expect(JSON.parse(r!.stdout).error).toMatchObject({ code: 'EPERM', field: '--loader-dir' });
    expect(r!.stderr).toContain('owned by uid 65534');
  });
});

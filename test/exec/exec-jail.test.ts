import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, asUsernsRoot, cli } from '../helpers/sandbox.js';
import { ARGV_PROGRAM, buildC } from '../helpers/fixtures.js';
import { bullseyeRoot } from '../helpers/rootfs.js';
import { tempDir } from '../helpers/tmp.js';

const HOST_LD = '/lib64/ld-linux-x86-64.so.2';
const LIBDIR = '/lib/x86_64-linux-gnu';

/** Runs the CLI as root of a user namespace (chroot is allowed, nothing else changes). */
function inUserns(args: string[]) {
  return asUsernsRoot([process.execPath, CLI, ...args]);
}

/** A jail holding only `files` (host path → in-jail path): no ld.so, no loader. */
function jail(files: Record<string, string>): string {
  const dir = tempDir('binfmt-jail-');
  chmodSync(dir, 0o755);
  for (const [from, to] of Object.entries(files)) {
    mkdirSync(join(dir, to, '..'), { recursive: true });
    copyFileSync(from, join(dir, to));
  }
  return dir;
}
const allFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length));

describe('binfmt exec', () => {
  let hello = '';
  let musl = '';
  beforeAll(() => {
    hello = buildC('hello', ARGV_PROGRAM);
    musl = buildC('hello-musl', ARGV_PROGRAM, [], { cc: 'musl-gcc' });
  });

  it('runs a program through the loader with its own ld.so, argv[0] and arguments intact', () => {
    const r = cli(['exec', '--argv0', 'custom-name', '--', hello, 'one', 'two words']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('argv[0]=custom-name\nargv[1]=one\nargv[2]=two words\n');
  });

  it('uses --ld and --library-path', () => {
    const r = cli(['exec', '--ld', HOST_LD, '--library-path', LIBDIR, '--', hello, 'x']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`argv[0]=${hello}\nargv[1]=x\n`);
  });

  it('passes the exit status and stdio of the program through', () => {
    const r = spawnSync(process.execPath, [CLI, 'exec', '--', '/bin/sh', '-c', 'cat; exit 7'], {
      input: 'piped in\n',
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('piped in\n');
    expect(r.status).toBe(7);
  });

  it('runs a glibc program in a jail holding only the program and libc, which a plain chroot cannot', () => {
    const dir = jail({ [hello]: '/bin/hello', [`${LIBDIR}/libc.so.6`]: `${LIBDIR}/libc.so.6` });
    expect(allFiles(dir).sort()).toEqual(['/bin/hello', `${LIBDIR}/libc.so.6`]);
    const plain = asUsernsRoot(['chroot', dir, '/bin/hello']);
    expect(plain.status).toBe(127); // the kernel cannot find /lib64/ld-linux-x86-64.so.2 in the jail
    const r = inUserns(['exec', '--root', dir, '--argv0', 'jailed', '--', '/bin/hello', 'a', 'b']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('argv[0]=jailed\nargv[1]=a\nargv[2]=b\n');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'lib64'))).toBe(false);
  });

  it('runs a musl program in a jail holding nothing but the program', () => {
    const dir = jail({ [musl]: '/bin/hello' });
    const r = inUserns(['exec', '--root', dir, '--argv0', 'm', '--', '/bin/hello', 'z']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('argv[0]=m\nargv[1]=z\n');
  });

  it("fails in the jail with ld.so's own error when a library is missing there", () => {
    const dir = jail({ [hello]: '/bin/hello' });
    const r = inUserns(['exec', '--root', dir, '--', '/bin/hello']);
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/libc\.so\.6: cannot open shared object file/);
  });

  it('runs a .slulb (DT_NEEDED but no PT_INTERP) with --ld; the loader alone refuses it clearly', () => {
    const slulb = buildC('nointerp', ARGV_PROGRAM, ['-fPIE', '-pie', '-Wl,--no-dynamic-linker']);
    const r = cli(['exec', '--ld', HOST_LD, '--argv0', 's', '--', slulb, 'x']);
    expect(r.stdout).toBe('argv[0]=s\nargv[1]=x\n');
    const loader = cli(['loader', 'path']).stdout.trim();
    const alone = spawnSync(loader, ['--', slulb], { encoding: 'utf8' });
    expect(alone.status).toBe(127);
    expect(alone.stderr).toBe(`binfmt-loader: ${slulb}: no PT_INTERP and no ld.so configured\n`);
    // a static-pie program has no DT_NEEDED: the loader enters it directly, no ld.so involved
    const staticPie = buildC('static-pie', ARGV_PROGRAM, ['-static-pie']);
    const sp = spawnSync(loader, ['--', staticPie, 'y'], { encoding: 'utf8' });
    expect(sp.stdout).toBe(`argv[0]=${staticPie}\nargv[1]=y\n`);
  });

  it('with an ld.so older than --argv0 (glibc 2.31) still runs, with the path as argv[0]', () => {
    const root = realpathSync(bullseyeRoot());
    const oldLd = join(root, 'usr/lib/x86_64-linux-gnu/ld-2.31.so');
    const r = inUserns([
      'exec',
      '--root',
      root,
      '--ld',
      oldLd,
      '--argv0',
      'renamed',
      '--',
      '/bin/sh',
      '-c',
      'echo "argv0=$0"',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('argv0=/bin/sh\n');
    // a new one honours it
    expect(cli(['exec', '--argv0', 'renamed', '--', '/bin/sh', '-c', 'echo "argv0=$0"']).stdout).toBe(
      'argv0=renamed\n',
    );
  });

  it('shows the plan with --dry-run, and names the field on bad input', () => {
    const dry = cli(['exec', '--dry-run', '--json', '--root', '/', '--', hello, 'a']);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      ld: HOST_LD,
      root: '/',
      dryRun: true,
      argv: ['binfmt-loader', '--ld-fd', '3', '--', hello, 'a'],
    });
    const noLd = cli(['exec', '--json', '--ld', '/nonexistent/ld.so', '--', hello]);
    expect(noLd.status).toBe(1);
    expect(JSON.parse(noLd.stdout).error).toMatchObject({ code: 'ENOENT', field: '--ld' });
    const staticLike = buildC('nointerp', ARGV_PROGRAM, ['-fPIE', '-pie', '-Wl,--no-dynamic-linker']);
    const r = cli(['exec', '--json', '--', staticLike]);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'ENOEXEC', field: '--ld' });
    const notElf = cli(['exec', '--json', '--', '/etc/hostname']);
    expect(JSON.parse(notElf.stdout).error).toMatchObject({ code: 'ENOEXEC', field: 'PROGRAM' });
    expect(notElf.stderr).toMatch(/^binfmt: \/etc\/hostname: malformed ELF: e_ident\[EI_MAG\]/);
    const missing = inUserns(['exec', '--json', '--root', '/nonexistent-jail', '--', '/bin/x']);
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout).error.field).toBe('--root');
  });
});

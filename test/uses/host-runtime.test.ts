/**
 * The Toolbx host runtime end to end (issue 5): an
 * old-glibc container (Debian bullseye, glibc 2.31) with the host bind-mounted
 * at /run/host, a program built here (glibc 2.36, needs GLIBC_2.34), the
 * host-runtime entry registered in a private binfmt_misc, and `binfmt check`
 * predicting each outcome. Nothing touches the machine's own binfmt_misc.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { cli, sandboxedScript, MOUNT } from '../helpers/sandbox.js';
import { buildC, RUNTIME_PROGRAM } from '../helpers/fixtures.js';
import { bullseyeRoot, optDir } from '../helpers/rootfs.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

/** What the host-runtime loader runs inside the container: /run/host's ld.so, resolved inside /run/host, and its directory. */
const HOST_LD = '/run/host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2';
const HOST_LIB = '/run/host/usr/lib/x86_64-linux-gnu';
/** The naive ABI path: an absolute symlink that, followed inside the container, leads to the container's ld.so. */
const NAIVE_LD = '/run/host/lib64/ld-linux-x86-64.so.2';
const checkJson = (file: string, root: string) => JSON.parse(cli(['check', file, '--root', root, '--json']).stdout);

describe('binfmt register host-runtime with an old-glibc container', needs(sandbox()), () => {
  let root = '';
  let opt: ReturnType<typeof optDir>;
  let loaders = '';
  let out = '';

  beforeAll(() => {
    root = realpathSync(bullseyeRoot());
    opt = optDir(root);
    loaders = tempDir('binfmt-loaders-');
    chmodSync(loaders, 0o755);
    const prog = buildC('runtime', RUNTIME_PROGRAM);
    copyFileSync(prog, join(opt.host, 'plain'));
    copyFileSync(prog, join(opt.host, 'marked'));
    expect(cli(['mark', join(opt.host, 'marked')]).status).toBe(0);
    const o = opt.inRoot;
    // One sandbox for the whole scenario; each step prints a header and its rc.
    const r = sandboxedScript(new URL('host-runtime.sh', import.meta.url), [], {
      env: { LOADERS: loaders, HOST_DIR: opt.host, ROOT_DIR: root, IN_ROOT: o, HOST_LD, HOST_LIB, NAIVE_LD },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    out = r.stdout;
  });
  afterAll(() => opt?.cleanup());

  const step = (name: string): string => {
    const m = new RegExp(`## ${name}\\n([\\s\\S]*?rc=\\d+)`).exec(out);
    if (!m) throw new Error(`no step ${name} in:\n${out}`);
    return m[1]!;
  };

  it("inside the container, the unmarked program fails with glibc's version error, as check predicts", () => {
    expect(step('container-plain')).toContain("version `GLIBC_2.34' not found");
    expect(step('container-plain')).toMatch(/rc=1$/);
    const c = checkJson(join(opt.host, 'plain'), root);
    expect(c.runs).toBe(false);
    expect(c.missing).toContainEqual(
      expect.objectContaining({ kind: 'version', library: 'libc.so.6', version: 'GLIBC_2.34' }),
    );
  });

  it("inside the container, the marked program runs on the host's runtime through the loader, argv[0] intact", () => {
    expect(step('container-marked')).toBe(
      `glibc=2.36\nexe=${loaders}/host-runtime\nargv[0]=custom-argv0\nargv[1]=c1\nargv[2]=c 2\nrc=0`,
    );
    // check predicts it with the ld.so and library path the loader picks inside the container
    expect(step('check-entry')).toMatch(
      /runs against the runtime in .* \(ld\.so \/run\/host\/usr\/lib\/x86_64-linux-gnu\/ld-linux-x86-64\.so\.2\)\nrc=0$/,
    );
  });

  it('takes ld.so from /run/host even though its ABI path is an absolute symlink that would lead into the container', () => {
    // Debian: /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 (absolute).
    expect(readlinkSync('/lib64/ld-linux-x86-64.so.2').startsWith('/')).toBe(true);
    // Followed naively from inside the container it names bullseye's ld.so (2.31), which cannot run host libc.
    expect(step('container-marked')).toContain('glibc=2.36');
    expect(step('container-marked-noproc')).toContain('glibc=2.36\n');
    expect(step('container-marked-noproc')).toMatch(/rc=0$/);
    // The naive way fails, with the message check predicts: /run/host/lib64/ld-linux-x86-64.so.2 is an
    // absolute symlink, so it resolves into the container's glibc 2.31, which the host's libc refuses.
    const naive = step('naive');
    expect(naive).toContain(
      "/run/host/lib64/ld-linux-x86-64.so.2: version `GLIBC_2.35' not found (required by /run/host/usr/lib/x86_64-linux-gnu/libc.so.6)",
    );
    expect(step('check-naive')).toContain(
      "  /run/host/lib64/ld-linux-x86-64.so.2: version `GLIBC_2.35' not found (required by /run/host/usr/lib/x86_64-linux-gnu/libc.so.6)\nrc=1",
    );
  });

  it("the container's own programs still run on the container's runtime", () => {
    expect(step('container-ls')).toBe('/opt\nrc=0');
    expect(step('container-libc')).toMatch(/GNU C Library \(Debian GLIBC 2\.31/);
    expect(checkJson(join(root, 'bin', 'ls'), root)).toMatchObject({ runs: true, missing: [] });
  });

  // On a machine that is itself a Toolbx container /run/host exists; the result is the same.
  it('on the host side the marked program runs natively (no /run/host there), through the loader', () => {
    expect(step('host-marked')).toBe(
      `glibc=2.36\nexe=${loaders}/host-runtime\nargv[0]=${opt.host}/marked\nargv[1]=h1\nrc=0`,
    );
    expect(checkJson(join(opt.host, 'marked'), '/')).toMatchObject({ runs: true });
  });

  it("runs natively when /run/host does not hold the program's PT_INTERP, or is / itself", () => {
    // an empty /run/host in the container: the container's own runtime, which is too old
    expect(step('container-empty-run-host')).toContain("version `GLIBC_2.34' not found");
    // Toolbx's host-side symlink /run/host -> ../ (made here only inside the sandbox's own mount namespace)
    expect(step('host-run-host-is-root')).toBe(
      `glibc=2.36\nexe=${loaders}/host-runtime\nargv[0]=${opt.host}/marked\nargv[1]=h2\nrc=0`,
    );
  });

  it("leaves the machine's own binfmt_misc alone", () => {
    expect(existsSync(`${MOUNT}/host-runtime`)).toBe(false);
  });
});

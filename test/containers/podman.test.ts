/**
 * host-runtime per container with real rootless podman, as the ordinary test
 * user: the OCI hook and `--pid` register the entry in a container's own
 * binfmt_misc instance; the machine's own binfmt_misc stays as it was, and on
 * the host the marked program runs natively. The program needs GLIBC_2.34;
 * the image is Debian bullseye (glibc 2.31). Also the real Toolbx program
 * (Debian's podman-toolbox, its PT_INTERP reset to the ABI path as an
 * upstream build has it).
 *
 * Every command and what it printed goes to .cache/podman-transcript.txt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT } from '../helpers/sandbox.js';
import { buildC, RUNTIME_PROGRAM } from '../helpers/fixtures.js';
import { bullseyeRoot } from '../helpers/rootfs.js';
import {
  asTestUser,
  ensureImage,
  giveToTestUser,
  hostBinfmt,
  IMAGE,
  installBinfmt,
  PODMAN,
  podmanSupport,
  STEP_FUNCTION,
  stepOutput,
  toolbxEnv,
  userDir,
} from '../helpers/podman.js';
import { needs } from '../helpers/skip-gate.js';

const s = podmanSupport();
const TOOLBOX_DEB = join(ROOT, '.cache', 'debs', 'podman-toolbox', 'usr', 'bin', 'toolbox');
/** The ABI path of x86-64's ld.so, which an upstream Toolbx build has as PT_INTERP (Debian's points into /run/host). */
const ABI_LD = '/lib64/ld-linux-x86-64.so.2';

describe('host-runtime in rootless podman containers', needs(s), () => {
  let dir = '';
  let out = '';
  let hostBefore = '';

  beforeAll(() => {
    hostBefore = hostBinfmt();
    ensureImage(bullseyeRoot());
    dir = userDir('binfmt-podman-');
    const B = `${process.execPath} ${installBinfmt(join(dir, 'pkg'))}`;
    const prog = join(dir, 'prog');
    mkdirSync(prog);
    copyFileSync(buildC('runtime', RUNTIME_PROGRAM), join(prog, 'plain'));
    copyFileSync(join(prog, 'plain'), join(prog, 'marked'));
    expect(cli(['mark', join(prog, 'marked')]).status).toBe(0);
    copyFileSync(TOOLBOX_DEB, join(prog, 'toolbox'));
    expect(spawnSync('patchelf', ['--set-interpreter', ABI_LD, join(prog, 'toolbox')]).status).toBe(0);
    expect(cli(['mark', join(prog, 'toolbox')]).status).toBe(0);
    mkdirSync(join(dir, 'nohooks'));
    giveToTestUser(dir);
    const name = `binfmt-pid-${process.pid}`;
    const tb = `binfmt-toolbx-${process.pid}`;
    const run = `${PODMAN} --hooks-dir ${dir}/hooks run --rm --network none -v /:/run/host:rslave -v ${prog}:/opt/prog:ro`;
    // Containers that must not see the entry get a user namespace of their own (keep-id): default rootless
    // containers share podman's, and with it the binfmt_misc instance of any other that holds one.
    const plain = `${PODMAN} --hooks-dir ${dir}/nohooks run --rm --userns keep-id --network none -v /:/run/host:rslave -v ${prog}:/opt/prog:ro`;
    const ann = '--annotation run.binfmt.host-runtime=true';
    const r = asTestUser(
      `
      ${STEP_FUNCTION}
      step install ${B} oci-hook install --hooks-dir ${dir}/hooks --loader-dir ${dir}/loaders --log ${dir}/hook.log
      step plain ${plain} ${IMAGE} /opt/prog/marked c0
      step hook ${run} ${ann} ${IMAGE} /opt/prog/marked c1
      step hook-own-libc ${run} ${ann} ${IMAGE} /lib/x86_64-linux-gnu/libc.so.6
      step hook-keep-id ${run} --userns keep-id ${ann} ${IMAGE} /opt/prog/marked c2
      step no-annotation ${run} --userns keep-id ${IMAGE} /opt/prog/marked c3
      step no-host-root ${PODMAN} --hooks-dir ${dir}/hooks run --rm --network none -v ${prog}:/opt/prog:ro ${ann} ${IMAGE} /bin/true
      step toolbox-plain ${plain} ${IMAGE} /opt/prog/toolbox --version
      step toolbox-hook ${run} ${ann} ${IMAGE} /opt/prog/toolbox --version
      step toolbox-debug ${run} ${ann} ${IMAGE} /opt/prog/toolbox --log-level debug list
      step toolbox-entry ${run} -v ${prog}/toolbox:/usr/bin/toolbox:ro ${IMAGE} toolbox --log-level debug init-container --help
      ${PODMAN} rm -f ${name} >/dev/null 2>&1
      step pid-start ${PODMAN} --hooks-dir ${dir}/nohooks run -d --name ${name} --network none -v /:/run/host:rslave -v ${prog}:/opt/prog:ro ${IMAGE} /bin/sleep 600
      pid=$(${PODMAN} inspect -f '{{.State.Pid}}' ${name})
      step pid-before ${PODMAN} exec ${name} /opt/prog/marked p0
      step pid-dry-run ${B} register host-runtime --pid $pid --loader-dir ${dir}/loaders --dry-run
      step pid-register ${B} register host-runtime --pid $pid --loader-dir ${dir}/loaders
      step pid-list ${B} list --pid $pid
      step pid-after ${PODMAN} exec ${name} /opt/prog/marked p1
      step pid-exe-exists ${PODMAN} exec ${name} /bin/ls /run/host${dir}/loaders/host-runtime
      step pid-remove ${B} remove host-runtime --pid $pid
      step pid-removed ${PODMAN} exec ${name} /opt/prog/marked p2
      ${PODMAN} rm -f -t 0 ${name} >/dev/null 2>&1
      (
        ${toolbxEnv(dir, `${dir}/hooks`)}
        cd ${prog}
        step toolbx-create ./toolbox create -y -i ${IMAGE} -c ${tb}
        step toolbx-start podman start ${tb}
        for i in $(seq 120); do podman logs ${tb} 2>&1 | grep -q 'Finished initializing' && break; sleep 0.5; done
        step toolbx-init sh -c "podman logs ${tb} 2>&1 | grep -E 'Running as|Resolved absolute|Finished initializing|GLIBC|Error'"
        step toolbx-exec podman exec ${tb} /usr/bin/toolbox --version
        podman rm -f -t 0 ${tb} >/dev/null 2>&1
      )
      step host-marked ${prog}/marked h1
      step host-toolbox ${prog}/toolbox --version
      step hook-log cat ${dir}/hook.log
    `,
      { timeoutMs: 900_000 },
    );
    out = r.stdout;
    writeFileSync(join(ROOT, '.cache', 'podman-transcript.txt'), out + (r.stderr ? `\n[stderr]\n${r.stderr}` : ''));
    expect(r.status).toBe(0);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const step = (name: string): string => stepOutput(out, name);

  it('installs the hooks and the loader as the unprivileged user', () => {
    expect(step('install')).toMatch(/rc=0$/);
    expect(readdirSync(join(dir, 'hooks')).sort()).toEqual([
      'binfmt-emulate.json',
      'binfmt-host-runtime-annotation.json',
      'binfmt-host-runtime-toolbox.json',
    ]);
    const hook = JSON.parse(readFileSync(join(dir, 'hooks', 'binfmt-host-runtime-annotation.json'), 'utf8'));
    expect(hook.stages).toEqual(['createRuntime']);
  });

  it('without the hook the marked program fails in the old container', () => {
    expect(step('plain')).toContain("version `GLIBC_2.34' not found");
    expect(step('plain')).toMatch(/rc=1$/);
  });

  it("with the hook and the annotation it runs on the host's glibc, /proc/self/exe resolving inside the container", () => {
    expect(step('hook')).toBe(
      `glibc=2.36\nexe=/run/host${dir}/loaders/host-runtime\nargv[0]=/opt/prog/marked\nargv[1]=c1\nrc=0`,
    );
    expect(step('hook-keep-id')).toContain('glibc=2.36\n');
    expect(step('hook-keep-id')).toMatch(/rc=0$/);
  });

  it("the container's own programs keep its glibc 2.31", () => {
    expect(step('hook-own-libc')).toMatch(/GNU C Library \(Debian GLIBC 2\.31/);
  });

  it('a container that matches neither condition is left alone', () => {
    expect(step('no-annotation')).toContain("version `GLIBC_2.34' not found");
  });

  it("a container that asked but has no host root fails to start, with the hook's line", () => {
    expect(step('no-host-root')).toContain('host-runtime not registered: no host root at /run/host');
    expect(step('no-host-root')).not.toMatch(/rc=0$/);
  });

  it('the real toolbox fails in the plain container and runs through the entry', () => {
    expect(step('toolbox-plain')).toMatch(/GLIBC_2\.3[0-9]' not found/);
    expect(step('toolbox-hook')).toBe('toolbox version 0.0.99.3\nrc=0');
    expect(step('toolbox-debug')).toContain(
      `Resolved absolute path to the executable as /run/host${dir}/loaders/host-runtime`,
    );
    expect(step('toolbox-debug')).not.toContain('failed to resolve absolute path');
  });

  it('a Toolbx entry point (toolbox … init-container) gets the entry without the annotation', () => {
    expect(step('toolbox-entry')).not.toMatch(/GLIBC_2\.3[0-9]' not found/);
    expect(step('hook-log')).toMatch(
      /registered host-runtime -> \/run\/host\S+ in its binfmt_misc \(Toolbx container\)/,
    );
  });

  it('register --pid does the same on a running container, and remove --pid undoes it', () => {
    expect(step('pid-before')).toContain("version `GLIBC_2.34' not found");
    expect(step('pid-dry-run')).toMatch(/^would register 'host-runtime'/m);
    expect(step('pid-register')).toMatch(
      /^registered 'host-runtime' in the binfmt_misc of process \d+'s user namespace\nrc=0$/,
    );
    expect(step('pid-list')).toContain(`-> /run/host${dir}/loaders/host-runtime  [PF]`);
    expect(step('pid-after')).toBe(
      `glibc=2.36\nexe=/run/host${dir}/loaders/host-runtime\nargv[0]=/opt/prog/marked\nargv[1]=p1\nrc=0`,
    );
    expect(step('pid-exe-exists')).toMatch(/rc=0$/);
    expect(step('pid-remove')).toMatch(/rc=0$/);
    expect(step('pid-removed')).toContain("version `GLIBC_2.34' not found");
  });

  it('the real Toolbx: toolbox create, and its init-container finishes inside the glibc 2.31 container', () => {
    expect(step('toolbx-create')).toMatch(/Created container: binfmt-toolbx-\d+\n[\s\S]*rc=0$/);
    const init = step('toolbx-init');
    expect(init).toContain(`Resolved absolute path to the executable as /run/host${dir}/loaders/host-runtime`);
    expect(init).toContain('Finished initializing container');
    expect(init).not.toContain('GLIBC');
    expect(step('toolbx-exec')).toBe('toolbox version 0.0.99.3\nrc=0');
    expect(step('hook-log')).toMatch(
      /container \w+ \(pid \d+\): registered host-runtime -> \S+ in its binfmt_misc \(Toolbx container\)/,
    );
  });

  it('on the host the same marked files run natively and name themselves', () => {
    expect(step('host-marked')).toBe(
      `glibc=2.36\nexe=${dir}/prog/marked\nargv[0]=${dir}/prog/marked\nargv[1]=h1\nrc=0`,
    );
    expect(step('host-toolbox')).toBe('toolbox version 0.0.99.3\nrc=0');
  });

  it('logs one line per decision', () => {
    const log = step('hook-log');
    expect(log).toMatch(
      /registered host-runtime -> \S+ in its binfmt_misc \(annotation run\.binfmt\.host-runtime=true\)/,
    );
    expect(log).toContain('no host root at /run/host');
  });

  it("leaves the machine's own binfmt_misc as it was", () => {
    expect(hostBinfmt()).toBe(hostBefore);
  });
});

/**
 * The host stays native: a host-runtime entry in the machine's initial user
 * namespace would send every marked program on the host through the loader.
 * `register` warns when it is about to do that, `doctor` reports such an
 * entry; inside a private instance neither does. The machine's own
 * binfmt_misc is never written: the register here is a --dry-run from the
 * initial user namespace against a sandbox's instance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_WIDE_CODE, hostWideFindings, isHostRuntimeEntry } from '../../src/core/host-wide.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { inInitialUserNs } from '../../src/kernel/pid-instance.js';
import { sandboxArgv } from '../../src/kernel/sandbox.js';
import { cli, ROOT } from '../helpers/sandbox.js';
import { binfmt, must, sandboxedSteps } from '../helpers/steps.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const definition = (name: string) => {
  const text = readFileSync(join(ROOT, 'binfmt', `${name}.conf`), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(':'))!;
  const r = parseRegister(text.replace('@loader', '/usr/local/lib/binfmt/loaders/x'));
  if (!r.ok) throw new Error(`${name}.conf does not parse`);
  return r.entry;
};

describe('which entries are host-runtime', () => {
  it('the shipped host-runtime definition, by name or by its HRT1 marker; not slulb', () => {
    const hr = definition('host-runtime');
    expect(isHostRuntimeEntry(hr)).toBe(true);
    expect(isHostRuntimeEntry({ ...hr, name: 'renamed' })).toBe(true);
    expect(isHostRuntimeEntry(definition('slulb-magic'))).toBe(false);
    expect(isHostRuntimeEntry(definition('slulb'))).toBe(false);
  });
  it('doctor warns only for the initial user namespace', () => {
    const hr = definition('host-runtime');
    expect(hostWideFindings([hr], false)).toEqual([]);
    expect(hostWideFindings([hr, definition('slulb')], true)).toEqual([
      expect.objectContaining({ severity: 'warning', code: HOST_WIDE_CODE, subject: 'host-runtime' }),
    ]);
  });
});

const initialUserNs = { ok: inInitialUserNs(), reason: 'this process is not in the initial user namespace' };
describe('register host-runtime from the initial user namespace', needs(sandbox(), initialUserNs), () => {
  let sandbox: ChildProcess;
  let loaders = '';
  beforeAll(async () => {
    loaders = tempDir('binfmt-loaders-');
    chmodSync(loaders, 0o755);
    // The loader copy (registering F needs it to exist); the hooks.d files are not used here.
    expect(cli(['oci-hook', 'install', '--hooks-dir', join(loaders, 'hooks'), '--loader-dir', loaders]).status).toBe(0);
    // A sandbox that only holds its private instance open.
    const [bin, ...args] = sandboxArgv(['sh', '-c', 'echo ready; exec sleep 60']);
    sandbox = spawn(bin!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => sandbox.stdout!.once('data', r));
  });
  afterAll(() => {
    sandbox?.kill();
    if (loaders) rmSync(loaders, { recursive: true, force: true });
  });

  it('warns that the host would run marked programs through the loader', () => {
    // The sandbox's instance seen from here: this process is in the initial user namespace.
    const mount = `/proc/${sandbox.pid}/root/proc/sys/fs/binfmt_misc`;
    const r = cli(['register', 'host-runtime', '--dry-run', '--mount', mount, '--loader-dir', loaders]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^would register 'host-runtime'/m);
    expect(r.stderr).toContain(
      "binfmt: 'host-runtime' is registered in the machine's initial user namespace: every marked program",
    );
    expect(r.stderr).toContain('sees the loader as /proc/self/exe');
    // --strict refuses every warning register prints, this one included.
    const strict = cli([
      'register',
      'host-runtime',
      '--dry-run',
      '--strict',
      '--mount',
      mount,
      '--loader-dir',
      loaders,
    ]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/not registered: --strict refuses an entry with (a warning|\d+ warnings)$/m);
  });

  it('inside a private instance it neither warns nor does doctor report it', () => {
    const [registered, doctor] = sandboxedSteps([
      must(binfmt('register', 'host-runtime', '--loader-dir', loaders)),
      binfmt('doctor', '--no-probe', '--json'),
    ]);
    expect(registered!.stderr + doctor!.stderr).not.toContain('initial user namespace');
    const report = JSON.parse(doctor!.stdout);
    expect(report.findings.map((f: { code: string }) => f.code)).not.toContain(HOST_WIDE_CODE);
  });
});

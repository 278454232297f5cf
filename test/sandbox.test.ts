import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { cli, MOUNT } from './helpers/sandbox.js';
import { must, register, run, sandboxedSteps } from './helpers/steps.js';
import { needs, sandbox } from './helpers/skip-gate.js';

describe('binfmt sandbox', needs(sandbox()), () => {
  it('gives the command an empty private binfmt_misc at the usual path', () => {
    const [listed, status] = sandboxedSteps([run('ls', MOUNT), run('cat', `${MOUNT}/status`)]);
    expect([listed!.status, status!.status]).toEqual([0, 0]);
    expect([listed!.stdout, status!.stdout]).toEqual(['register\nstatus\n', 'enabled\n']);
  });

  it('keeps what is registered inside from the machine', () => {
    const [, r] = sandboxedSteps([
      must(register(':sandbox-probe:E::sbxprobe::/bin/echo:')),
      run('cat', `${MOUNT}/sandbox-probe`),
    ]);
    expect(r!.status).toBe(0);
    expect(r!.stdout).toContain('extension .sbxprobe');
    const hostEntries = existsSync(`${MOUNT}/status`) ? readdirSync(MOUNT) : [];
    expect(hostEntries).not.toContain('sandbox-probe');
  });

  it("passes the command's exit status through the CLI", () => {
    const r = cli(['sandbox', '--', 'sh', '-c', 'exit 7']);
    expect(r.status).toBe(7);
  });
});

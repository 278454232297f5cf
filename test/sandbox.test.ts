import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { cli, sandboxed, MOUNT } from './helpers/sandbox.js';
import { needs, sandbox } from './helpers/skip-gate.js';

describe('binfmt sandbox', needs(sandbox()), () => {
  it('gives the command an empty private binfmt_misc at the usual path', () => {
    const r = sandboxed(`ls ${MOUNT}; cat ${MOUNT}/status`);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['register', 'status', 'enabled']);
  });

  it('keeps what is registered inside from the machine', () => {
    const r = sandboxed(
      `printf ':sandbox-probe:E::sbxprobe::/bin/echo:' > ${MOUNT}/register && cat ${MOUNT}/sandbox-probe`,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('extension .sbxprobe');
    const hostEntries = existsSync(`${MOUNT}/status`) ? readdirSync(MOUNT) : [];
    expect(hostEntries).not.toContain('sandbox-probe');
  });

  it("passes the command's exit status through the CLI", () => {
    const r = cli(['sandbox', '--', 'sh', '-c', 'exit 7']);
    expect(r.status).toBe(7);
  });
});

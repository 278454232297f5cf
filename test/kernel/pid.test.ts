/**
 * --pid without podman: inside a sandbox, a process in a nested user and
 * mount namespace stands in for a container. Its namespace gets an instance
 * of its own (attached over the sandbox's, which its mount namespace
 * inherited), entries registered there are seen by it only, and the
 * sandbox's own instance stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { sandboxedScript, MOUNT } from '../helpers/sandbox.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

describe('--pid on a process in a nested user namespace', needs(sandbox()), () => {
  it("registers in that namespace's own instance, from that process's root", () => {
    const r = sandboxedScript(new URL('scripts/pid-steps.sh', import.meta.url), [MOUNT]);
    expect(r.status).toBe(0);
    const step = (name: string): string => {
      const m = new RegExp(`## ${name}\\n([\\s\\S]*?rc=\\d+)`).exec(r.stdout);
      if (!m) throw new Error(`no step ${name} in:\n${r.stdout}\n${r.stderr}`);
      return m[1]!;
    };
    expect(step('list-empty')).toMatch(/^\(no entries in the binfmt_misc of process \d+'s user namespace\)\nrc=0$/);
    // (a warning first: /bin/true is dynamically linked, F pins only it)
    expect(step('dry-run')).toMatch(/^would register 'pidt' in the binfmt_misc of process \d+'s user namespace/m);
    expect(step('register')).toMatch(/^registered 'pidt' in the binfmt_misc of process \d+'s user namespace\nrc=0$/m);
    expect(step('again')).toContain('[name-exists]');
    expect(step('again')).toMatch(/rc=1$/);
    expect(step('list')).toBe('enabled   pidt  extension .pidt  -> /bin/true  [F]\nrc=0');
    expect(step('theirs')).toBe('enabled\ninterpreter /bin/true\nflags: F\nextension .pidt\nrc=0');
    expect(step('ours')).toBe('register\nstatus\nrc=0');
    expect(step('disable')).toBe('pidt: disabled\nrc=0');
    expect(step('status')).toMatch(/^the binfmt_misc of process \d+'s user namespace: enabled, 1 entry\nrc=0$/);
    expect(step('remove')).toBe('pidt: removed\nrc=0');
    expect(step('theirs-after')).toBe('register\nstatus\nrc=0');
    expect(step('both')).toBe('binfmt: give either --mount or --pid, not both\nrc=2');
  });
});

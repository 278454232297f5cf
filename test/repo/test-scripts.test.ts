/**
 * The shell scripts the tests run in sandboxes (test/<area>/scripts/*.sh and
 * the older ones next to their tests) are real files held to one standard:
 * a header comment that says what the script does and prints, `set -u` (and
 * -e unless the header says why not), and nothing shellcheck reports. The
 * kernel matrix's guest jobs (test/kernel-matrix, run by busybox in a VM) and the
 * fixtures' build script are not sandbox scripts and are left out.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import { command, needs } from '../helpers/skip-gate.js';

const LEFT_OUT = ['test/kernel-matrix', 'test/fixtures'];

function scriptsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (LEFT_OUT.includes(relative(ROOT, path))) return [];
    if (statSync(path).isDirectory()) return scriptsUnder(path);
    return name.endsWith('.sh') ? [path] : [];
  });
}

const SCRIPTS = scriptsUnder(join(ROOT, 'test'));

describe("the tests' shell scripts", () => {
  it('are found (at least the ones this file was written for)', () => {
    const names = SCRIPTS.map((s) => relative(ROOT, s));
    expect(names).toEqual(expect.arrayContaining(['test/ops/scripts/under-load.sh', 'test/kernel/which-reality.sh']));
  });

  it.each(SCRIPTS.map((s) => [relative(ROOT, s)]))('%s starts with a header and sets -u', (name) => {
    const lines = readFileSync(join(ROOT, name), 'utf8').split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines[1]).toMatch(/^# \S/);
    const set = lines.find((l) => l.startsWith('set -'));
    expect(set).toMatch(/^set -e?u$/);
    if (set === 'set -u') expect(lines.some((l) => /^# No set -e: /.test(l))).toBe(true);
  });

  it('pass shellcheck', needs(command('shellcheck', '--version')), () => {
    const r = spawnSync('shellcheck', ['--format=gcc', ...SCRIPTS], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});

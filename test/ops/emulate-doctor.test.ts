/**
 * binfmt doctor on emulator entries, in a sandbox: an emulator without F, two
 * entries that both run aarch64 programs (the newest wins), and an F-pinned
 * emulator whose file was replaced (the kernel keeps running the old one until
 * binfmt emulate registers it again).
 */
import { join } from 'node:path';
import { renderFix } from '../../src/cli/fix-command.js';
import { describe, expect, it } from 'vitest';
import { emulatorFindings } from '../../src/core/emulator-findings.js';
import { emulatorEntry } from '../../src/core/emulator-entry.js';
import { findArch } from '../../src/core/qemu-arch.js';
import { ROOT, sandboxed } from '../helpers/sandbox.js';
import { files, needs, sandbox } from '../helpers/skip-gate.js';

const QEMU_A64 = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin', 'qemu-aarch64-static');
const M = '/proc/sys/fs/binfmt_misc';
/** Scratch space inside the sandbox: its /run/binfmt is a private copy, discarded at exit (nothing lands in the host's /tmp). */
const SCRATCH = '/run/binfmt/scratch';
const A64 = '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00';

describe('emulatorFindings', () => {
  const a64 = findArch('aarch64')!;
  it('says nothing about one F emulator per architecture', () => {
    expect(emulatorFindings([emulatorEntry(a64, '/q', 'POF')], new Set())).toEqual([]);
  });

  it('flags an emulator without F, with the fix for an owned and a foreign one', () => {
    const e = emulatorEntry(a64, '/usr/bin/qemu-aarch64', 'P');
    const [f] = emulatorFindings([e], new Set());
    expect(f).toMatchObject({
      code: 'emulator-no-fix-binary',
      subject: 'qemu-aarch64',
    });
    expect(renderFix(f!.fix!, [])).toBe('binfmt emulate aarch64 --force (registers it with POF)');
    expect(renderFix(emulatorFindings([e], new Set(['qemu-aarch64']))[0]!.fix!, [])).toBe(
      'binfmt emulate aarch64 (registers it with POF)',
    );
  });

  it('names the entry the kernel picks when two run the same programs (newest first)', () => {
    const newer = { ...emulatorEntry(a64, '/other', 'F'), name: 'arm64-box' };
    const older = emulatorEntry(a64, '/q', 'POF');
    const [f] = emulatorFindings([newer, older], new Set());
    expect(f!.code).toBe('emulator-overlap');
    expect(f!.message).toContain("2 entries run linux/arm64 programs: 'arm64-box', 'qemu-aarch64'");
    expect(f!.message).toContain("'arm64-box' (/other) runs them and 'qemu-aarch64' never does");
    expect(emulatorFindings([{ ...newer, enabled: false }, older], new Set())).toEqual([]);
  });
});

describe('binfmt doctor on emulators', needs(sandbox(), files(QEMU_A64)), () => {
  it('reports an emulator without F and two entries for the same architecture', () => {
    const r = sandboxed(`
      $CLI emulate aarch64 --emulator-dir ${join(QEMU_A64, '..')} >/dev/null
      printf '%s' ':arm64-box:M::${A64}::${QEMU_A64}:P' > ${M}/register
      $CLI doctor --no-probe --json`);
    const out = JSON.parse(r.stdout) as { findings: { code: string; subject: string; message: string }[] };
    const codes = out.findings.map((f) => `${f.code} ${f.subject}`);
    expect(codes).toContain('emulator-no-fix-binary arm64-box');
    expect(codes).toContain('emulator-overlap arm64-box');
    expect(codes).not.toContain('emulator-no-fix-binary qemu-aarch64');
  });

  it('reports a replaced pinned emulator; binfmt emulate registers it again, and the report goes', () => {
    const r = sandboxed(`set -e
      d=${SCRATCH}; mkdir -p $d; cp ${QEMU_A64} $d/
      $CLI emulate aarch64 --emulator-dir $d >/dev/null
      cp $d/qemu-aarch64-static $d/new; mv $d/new $d/qemu-aarch64-static
      $CLI doctor --no-probe | grep -A1 'stale-pin\\|qemu-aarch64: F pinned' || true
      $CLI emulate aarch64 --emulator-dir $d
      $CLI doctor --no-probe | grep -c 'F pinned' || true`);
    expect(r.stdout).toMatch(/warning: qemu-aarch64: F pinned the interpreter .* is now a different file/);
    expect(r.stdout).toContain('fix: register it again so the kernel opens the new file: binfmt emulate aarch64\n');
    expect(r.stdout).toMatch(/aarch64: registered qemu-aarch64 again in .*\n0\n$/);
    expect(r.stderr).toContain('is a different file than the one F pinned (upgraded?)');
  });
});

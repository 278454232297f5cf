/**
 * The exit(0) probes really run: x86_64 (and i386, when the kernel runs
 * 32-bit programs) on this CPU, every other architecture under its
 * qemu-<arch>-static started by hand (no binfmt_misc involved), for the
 * emulators scripts/install-deps.sh keeps. readelf checks every probe's
 * headers.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QEMU_ARCHES, archOfHead, findArch, type QemuArch } from '../../src/core/qemu-arch.js';
import { hasProbe, probeElf } from '../../src/core/probe-elf.js';
import { ROOT } from '../helpers/sandbox.js';
import { command, files, needs } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const QEMU_DIR = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'bin');
const qemuOf = (a: QemuArch): string => join(QEMU_DIR, `qemu-${a.qemu}-static`);
const dir = tempDir('binfmt-probe-');

function written(a: QemuArch): string {
  const p = join(dir, a.qemu);
  writeFileSync(p, probeElf(a));
  chmodSync(p, 0o755);
  return p;
}

const run = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });

describe('probeElf', () => {
  it('has a program for every row, matched by its own row only', () => {
    for (const a of QEMU_ARCHES) {
      expect(hasProbe(a), a.qemu).toBe(true);
      expect(archOfHead(probeElf(a))?.qemu, a.qemu).toBe(a.qemu);
    }
  });

  it('is a valid executable to readelf: one PT_LOAD, the entry inside it', needs(command('readelf', '-v')), () => {
    for (const a of QEMU_ARCHES) {
      const r = run(['readelf', '-hlW', written(a)]);
      expect(r.stderr, a.qemu).toBe('');
      expect(r.stdout, a.qemu).toMatch(/Type:\s+EXEC/);
      expect(r.stdout.match(/^\s+LOAD\s/gm)?.length, a.qemu).toBe(1);
      expect(r.stdout, a.qemu).toContain('Entry point address:               0x4000');
    }
  });

  it('runs natively on x86_64 and exits 0', () => {
    const r = run([written(findArch('x86_64')!)]);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
  });

  it('runs natively on i386 where the kernel runs 32-bit programs', () => {
    const r = run([written(findArch('i386')!)]);
    // Without IA32 emulation (CONFIG_IA32_EMULATION or ia32_emulation=0) the exec fails with ENOEXEC.
    if (r.error) expect((r.error as NodeJS.ErrnoException).code).toBe('ENOEXEC');
    else expect(r.status).toBe(0);
  });

  for (const qemu of ['aarch64', 'riscv64']) {
    const a = findArch(qemu)!;
    it(`runs under qemu-${qemu}-static and exits 0; changed to exit(7), exits 7`, needs(files(qemuOf(a))), () => {
      const p = written(a);
      expect(run([qemuOf(a), p]).status).toBe(0);
      const bytes = probeElf(a);
      // The first instruction sets the status: aarch64 mov x0, #7 / riscv64 li a0, 7.
      const seven = qemu === 'aarch64' ? [0xe0, 0x00, 0x80, 0xd2] : [0x13, 0x05, 0x70, 0x00];
      bytes.set(seven, bytes.length - 12);
      writeFileSync(p, bytes);
      expect(run([qemuOf(a), p]).status).toBe(7);
    });
  }

  /** The other emulators scripts/install-deps.sh keeps: those of the platforms images are published for. */
  const others = ['arm', 'ppc64le', 's390x', 'mips64el', 'loongarch64'].map((q) => findArch(q)!);
  it(
    'runs under qemu-{arm,ppc64le,s390x,mips64el,loongarch64}-static and exits 0',
    needs(files(...others.map(qemuOf))),
    () => {
      for (const a of others) {
        const r = run([qemuOf(a), written(a)]);
        expect(`${a.qemu}: ${r.status} ${r.stderr}`).toBe(`${a.qemu}: 0 `);
      }
    },
  );
});

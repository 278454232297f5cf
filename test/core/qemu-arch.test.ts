/**
 * The architecture table against Debian's own registrations: every
 * /usr/lib/binfmt.d/qemu-*.conf of qemu-user-static (unpacked by
 * scripts/install-deps.sh, never installed) has a row with the same magic and
 * mask byte for byte, and every row but x86_64 and i386 (which Debian does not
 * ship on amd64) has a file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegister } from '../../src/core/register-parse.js';
import { toHex } from '../../src/core/entry.js';
import { QEMU_ARCHES, archOfHead, emulatorEntryName, findArch, knownArchNames } from '../../src/core/qemu-arch.js';
import { ROOT } from '../helpers/sandbox.js';
import { files, needs } from '../helpers/skip-gate.js';

const BINFMT_D = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'lib', 'binfmt.d');
/** Shipped by qemu's scripts/qemu-binfmt-conf.sh, not by Debian on amd64. */
const NOT_IN_DEBIAN = ['x86_64', 'i386'];

describe("the table against Debian's binfmt.d files", needs(files(BINFMT_D)), () => {
  const debian = readdirSync(BINFMT_D)
    .filter((f) => f.endsWith('.conf'))
    .map((f) => {
      const r = parseRegister(readFileSync(join(BINFMT_D, f), 'utf8').trim());
      if (!r.ok || r.entry.type !== 'magic') throw new Error(`${f}: not a magic entry`);
      return r.entry;
    });

  it('has a row for every file, with the same magic and mask', () => {
    expect(debian.length).toBeGreaterThan(20);
    for (const e of debian) {
      const a = QEMU_ARCHES.find((x) => emulatorEntryName(x) === e.name);
      expect(a, e.name).toBeDefined();
      expect(e.offset).toBe(0);
      expect(toHex(a!.magic), e.name).toBe(toHex(e.magic));
      expect(toHex(a!.mask), e.name).toBe(toHex(e.mask));
    }
  });

  it('has a file for every row but x86_64 and i386', () => {
    const names = new Set(debian.map((e) => e.name));
    const without = QEMU_ARCHES.filter((a) => !names.has(emulatorEntryName(a))).map((a) => a.qemu);
    expect(without.sort()).toEqual([...NOT_IN_DEBIAN].sort());
  });
});

describe('the x86 rows (qemu-binfmt-conf.sh)', () => {
  it('match x86_64 and i386 ELF headers, EI_DATA and EI_VERSION low bits ignored', () => {
    expect(toHex(findArch('x86_64')!.magic)).toBe('7f454c4602010100000000000000000002003e00');
    expect(toHex(findArch('x86_64')!.mask)).toBe('fffffffffffefe00fffffffffffffffffeffffff');
    expect(toHex(findArch('i386')!.magic)).toBe('7f454c4601010100000000000000000002000300');
    expect(toHex(findArch('i386')!.mask)).toBe('fffffffffffefe00fffffffffffffffffeffffff');
  });
});

describe('findArch', () => {
  it.each([
    ['aarch64', 'aarch64'],
    ['arm64', 'aarch64'],
    ['linux/arm64', 'aarch64'],
    ['linux/arm64/v8', 'aarch64'],
    ['ARM64', 'aarch64'],
    ['qemu-aarch64', 'aarch64'],
    ['arm', 'arm'],
    ['linux/arm/v7', 'arm'],
    ['armhf', 'arm'],
    ['riscv64', 'riscv64'],
    ['linux/riscv64', 'riscv64'],
    ['ppc64le', 'ppc64le'],
    ['ppc64el', 'ppc64le'],
    ['s390x', 's390x'],
    ['mips64el', 'mips64el'],
    ['mips64le', 'mips64el'],
    ['linux/mips64le', 'mips64el'],
    ['loongarch64', 'loongarch64'],
    ['loong64', 'loongarch64'],
    ['i386', 'i386'],
    ['386', 'i386'],
    ['linux/386', 'i386'],
    ['x86_64', 'x86_64'],
    ['amd64', 'x86_64'],
    ['linux/amd64', 'x86_64'],
  ])('%s is %s', (name, qemu) => {
    expect(findArch(name)?.qemu).toBe(qemu);
  });

  it('knows no other name', () => {
    expect(findArch('vax')).toBeUndefined();
    expect(findArch('linux/')).toBeUndefined();
    expect(findArch('')).toBeUndefined();
  });

  it('gives OCI platforms', () => {
    expect(findArch('aarch64')!.platform).toBe('linux/arm64');
    expect(findArch('x86_64')!.platform).toBe('linux/amd64');
    expect(findArch('arm')!.platform).toBe('linux/arm/v7');
    expect(findArch('mips64el')!.platform).toBe('linux/mips64le');
  });

  it('lists qemu names first, then the OCI names that differ, each once', () => {
    const k = knownArchNames();
    expect(k.slice(0, QEMU_ARCHES.length)).toEqual(QEMU_ARCHES.map((a) => a.qemu));
    expect(k).toContain('arm64');
    expect(k).toContain('amd64');
    expect(new Set(k).size).toBe(k.length);
  });

  it('gives each row its own names', () => {
    const all = QEMU_ARCHES.flatMap((a) => a.names);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('archOfHead', () => {
  const elf = (cls: number, data: number, machine: number, type = 2): Uint8Array => {
    const b = new Uint8Array(64);
    b.set([0x7f, 0x45, 0x4c, 0x46, cls, data, 1]);
    const v = new DataView(b.buffer);
    v.setUint16(16, type, data === 1);
    v.setUint16(18, machine, data === 1);
    return b;
  };

  it('finds the row from the ELF header: class, byte order, machine; ET_EXEC and ET_DYN alike', () => {
    expect(archOfHead(elf(2, 1, 183))?.qemu).toBe('aarch64');
    expect(archOfHead(elf(2, 1, 183, 3))?.qemu).toBe('aarch64');
    expect(archOfHead(elf(2, 1, 243))?.qemu).toBe('riscv64');
    expect(archOfHead(elf(1, 1, 243))?.qemu).toBe('riscv32');
    expect(archOfHead(elf(2, 2, 21))?.qemu).toBe('ppc64');
    expect(archOfHead(elf(2, 1, 62))?.qemu).toBe('x86_64');
  });

  it('tells mips o32 from n32 by e_flags EF_MIPS_ABI2', () => {
    const o32 = elf(1, 2, 8);
    expect(archOfHead(o32)?.qemu).toBe('mips');
    o32[39] = 0x20;
    expect(archOfHead(o32)?.qemu).toBe('mipsn32');
  });

  it('matches nothing for a core file (ET_CORE), a script or an empty file', () => {
    expect(archOfHead(elf(2, 1, 183, 4))).toBeUndefined();
    expect(archOfHead(new TextEncoder().encode('#!/bin/sh\n'))).toBeUndefined();
    expect(archOfHead(new Uint8Array())).toBeUndefined();
  });

  it('derives e_machine, class and byte order from the magic', () => {
    const a = findArch('s390x')!;
    expect([a.elfMachine, a.elfClass, a.bigEndian]).toEqual([22, 64, true]);
    const m = findArch('microblaze')!;
    expect(m.elfMachine).toBe(0xbaab);
    expect(findArch('arm')!.elfClass).toBe(32);
  });
});

describe('emulatorEntryName', () => {
  it("is Debian's qemu-<arch>", () => {
    expect(emulatorEntryName(findArch('arm64')!)).toBe('qemu-aarch64');
    expect(QEMU_ARCHES.every((a) => emulatorEntryName(a) === `qemu-${a.qemu}`)).toBe(true);
  });
});

/**
 * The entry binfmt emulate registers for a qemu-user emulator, and which
 * architecture an entry someone else registered emulates: compared with
 * Debian's own registrations (qemu-user-static's /usr/lib/binfmt.d, unpacked
 * by scripts/install-deps.sh, never installed) and with entries made to
 * miss each way of recognising one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatedArch, emulatorEntry, emulatorFlags, emulatorRegisterLine } from '../../src/core/emulator-entry.js';
import type { Entry, MagicEntry } from '../../src/core/entry.js';
import { findArch, QEMU_ARCHES, type QemuArch } from '../../src/core/qemu-arch.js';
import { parseRegister } from '../../src/core/register-parse.js';
import { ROOT } from '../helpers/sandbox.js';
import { files, needs } from '../helpers/skip-gate.js';

const BINFMT_D = join(ROOT, '.cache', 'debs', 'qemu-user-static', 'usr', 'lib', 'binfmt.d');

function arch(name: string): QemuArch {
  const a = findArch(name);
  if (!a) throw new Error(`no row ${name}`);
  return a;
}

function magicEntry(over: Partial<MagicEntry>): MagicEntry {
  const a = arch('aarch64');
  return {
    type: 'magic',
    name: 'arm-programs',
    offset: 0,
    magic: a.magic,
    mask: a.mask,
    interpreter: '/usr/bin/box64',
    flags: 'F',
    ...over,
  };
}

function extensionEntry(name: string, interpreter = '/x'): Entry {
  return { type: 'extension', name, extension: 'x', interpreter, flags: '' };
}

function parsed(line: string): Entry {
  const r = parseRegister(line);
  if (!r.ok) throw new Error(`${line}: ${r.errno}`);
  return r.entry;
}

describe('emulatorFlags', () => {
  it('is POF by default, and POCF with credentials (C implies O, canonical order)', () => {
    expect(emulatorFlags()).toBe('POF');
    expect(emulatorFlags({ credentials: false })).toBe('POF');
    expect(emulatorFlags({ credentials: true })).toBe('POCF');
  });
});

describe('emulatorEntry and its register string', () => {
  it("names the entry qemu-<arch>, takes the row's magic and mask at offset 0, and puts the flags in order", () => {
    const a = arch('riscv64');
    expect(emulatorEntry(a, '/usr/bin/qemu-riscv64-static', 'FOP')).toEqual({
      type: 'magic',
      name: 'qemu-riscv64',
      offset: 0,
      magic: a.magic,
      mask: a.mask,
      interpreter: '/usr/bin/qemu-riscv64-static',
      flags: 'POF',
    });
    expect(emulatorEntry(a, '/q', 'C').flags).toBe('OC');
  });

  it('formats a line the parser reads back as the same entry', () => {
    const a = arch('s390x');
    const line = emulatorRegisterLine(a, '/usr/bin/qemu-s390x-static', 'POCF');
    expect(line.startsWith(':qemu-s390x:M::')).toBe(true);
    expect(line.endsWith(':/usr/bin/qemu-s390x-static:POCF')).toBe(true);
    expect(parsed(line)).toEqual(emulatorEntry(a, '/usr/bin/qemu-s390x-static', 'POCF'));
  });

  describe("against Debian's qemu-user-static", needs(files(BINFMT_D)), () => {
    const debian = readdirSync(BINFMT_D)
      .filter((f) => f.endsWith('.conf'))
      .map((f) => parsed(readFileSync(join(BINFMT_D, f), 'utf8').trim()));

    it('registers what Debian registers, given its interpreter and flags', () => {
      expect(debian.length).toBeGreaterThan(20);
      for (const e of debian) {
        const a = QEMU_ARCHES.find((x) => `qemu-${x.qemu}` === e.name);
        expect(a, e.name).toBeDefined();
        expect(parsed(emulatorRegisterLine(a!, e.interpreter, e.flags)), e.name).toEqual(e);
      }
    });

    it('knows the architecture of each of its entries, by name and renamed (by magic and mask)', () => {
      for (const e of debian) {
        expect(emulatedArch(e)?.qemu, e.name).toBe(e.name.slice('qemu-'.length));
        expect(emulatedArch({ ...e, name: 'renamed', interpreter: '/usr/bin/other' })?.qemu, e.name).toBe(
          e.name.slice('qemu-'.length),
        );
      }
    });
  });
});

describe('emulatedArch', () => {
  it.each([
    ['a qemu-<arch> name, whatever the entry', extensionEntry('qemu-aarch64'), 'aarch64'],
    [
      "an alias's qemu- name is not the emulator's: an extension entry so named is none",
      extensionEntry('qemu-arm64'),
      null,
    ],
    ['an architecture name without qemu-', extensionEntry('aarch64'), null],
    ['the name in capitals', extensionEntry('QEMU-AARCH64'), null],
    ['an extension entry of another name', extensionEntry('aarch64', '/usr/bin/qemu-aarch64'), null],
    [
      'a qemu- name that is no architecture, with magic of none',
      magicEntry({ name: 'qemu-nothing', magic: new Uint8Array([1, 2]), mask: null }),
      null,
    ],
    ["a row's magic and mask, under another name and interpreter", magicEntry({}), 'aarch64'],
    ["an alias's qemu- name with the row's magic and mask", magicEntry({ name: 'qemu-arm64' }), 'aarch64'],
    [
      'one magic byte off, the same mask, no qemu interpreter',
      magicEntry({ magic: Uint8Array.from(arch('aarch64').magic, (b, i) => (i === 18 ? b ^ 1 : b)) }),
      null,
    ],
    ['the magic one byte longer', magicEntry({ magic: Uint8Array.from([...arch('aarch64').magic, 0]) }), null],
    ['the mask one byte longer', magicEntry({ mask: Uint8Array.from([...arch('aarch64').mask, 0xff]) }), null],
    ['a stricter mask and an interpreter that is not qemu', magicEntry({ mask: new Uint8Array(20).fill(0xff) }), null],
    [
      'a stricter mask, run by qemu-*: the probe program of the row matches',
      magicEntry({ mask: new Uint8Array(20).fill(0xff), interpreter: '/opt/bin/qemu-aarch64' }),
      'aarch64',
    ],
    [
      'no mask, run by qemu-*',
      magicEntry({ magic: arch('riscv64').magic, mask: null, interpreter: '/usr/bin/qemu-riscv64-static' }),
      'riscv64',
    ],
    ['qemu in a directory name only', magicEntry({ mask: null, interpreter: '/opt/qemu-tools/box64' }), null],
    [
      'run by qemu-*, but no probe program matches (MZ)',
      magicEntry({ magic: new Uint8Array([0x4d, 0x5a]), mask: null, interpreter: '/usr/bin/qemu-aarch64' }),
      null,
    ],
  ] as [string, Entry, string | null][])('%s', (_what, entry, want) => {
    expect(emulatedArch(entry)?.qemu ?? null).toBe(want);
  });
});

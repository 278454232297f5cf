/**
 * The host-runtime marker in e_flags, on a real x86-64 program (/bin/sh): the
 * plan writes 4 printable bytes at offset 48, only where e_flags is 0 or
 * already this marker, and the magic/mask pattern matches exactly the marked
 * files (test/uses/host-runtime.test.ts registers it in a sandbox).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_MARKER_TAG, markerPattern, planMark, readMarker } from '../../src/elf/marker.js';
import { parseElfHeader } from '../../src/elf/header.js';
import { entryMatches } from '../../src/core/match.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import type { Entry } from '../../src/core/entry.js';
import { thrown } from '../helpers/thrown.js';
import { ElfImage } from '../helpers/elf-image.js';

const sh = (): Uint8Array => Uint8Array.from(readFileSync('/bin/sh'));
const marked = (tag = DEFAULT_MARKER_TAG): Uint8Array => {
  const b = sh();
  const plan = planMark(b, tag, '/bin/sh');
  b.set(plan.bytes, plan.offset);
  return b;
};
const marker = (b: Uint8Array): string | null => readMarker(parseElfHeader(b).header);
const refusal = thrown;

describe('planMark and readMarker', () => {
  it('plans the 4 bytes at e_flags (offset 48) of an unmarked program, and reads them back', () => {
    const plan = planMark(sh(), 'HRT1', '/bin/sh');
    expect(plan).toEqual({ offset: 48, bytes: new TextEncoder().encode('HRT1'), already: false, previousFlags: 0 });
    expect(marker(sh())).toBeNull();
    expect(marker(marked())).toBe('HRT1');
    expect(planMark(marked(), 'HRT1')).toMatchObject({ offset: 48, already: true, previousFlags: 0x31545248 });
  });

  it('refuses to overwrite e_flags in use, naming the marker it holds', () => {
    expect(refusal(() => planMark(marked('HRT1'), 'ABCD', 'p'))).toMatchObject({
      code: 'EEXIST',
      field: 'e_flags',
      message: 'p: e_flags is already 0x31545248 (marker "HRT1"); refusing to overwrite it',
    });
    const flagged = sh();
    flagged.set([1, 0, 0, 0], 48);
    expect(marker(flagged)).toBeNull();
    expect(refusal(() => planMark(flagged, 'HRT1', 'p')).message).toBe(
      'p: e_flags is already 0x00000001; refusing to overwrite it',
    );
  });

  it('refuses other machines, and tags that are not 4 printable ASCII characters', () => {
    const arm = sh();
    arm.set([183, 0], 18);
    expect(refusal(() => planMark(arm, 'HRT1', 'p'))).toMatchObject({ code: 'EINVAL', field: 'e_machine' });
    expect(refusal(() => planMark(arm, 'HRT1', 'p')).message).toMatch(
      /^p: only ELF64 little-endian x86-64 files can be marked \(this is ELF64 little-endian .*\); e_flags carries the ABI elsewhere$/,
    );
    const armMarked = marked();
    armMarked.set([183, 0], 18);
    expect(marker(armMarked)).toBeNull();
    for (const tag of ['HRT', 'HRT12', 'HR T', 'HRT\u00e9', '']) {
      expect(refusal(() => planMark(sh(), tag))).toMatchObject({
        code: 'EINVAL',
        field: '--tag',
        message: `marker tag ${JSON.stringify(tag)} must be exactly 4 printable ASCII characters`,
      });
    }
    expect(planMark(sh(), '!~09').already).toBe(false);
  });
});

describe('markerPattern', () => {
  it('matches marked x86-64 programs with that tag and nothing else', () => {
    const p = markerPattern('HRT1');
    expect(p.offset).toBe(0);
    expect(p.magic.length).toBe(52);
    expect(Array.from(p.mask).filter((x) => x === 0xff).length).toBe(4 + 1 + 1 + 2 + 4);
    const e: Entry = {
      type: 'magic',
      name: 'm',
      offset: p.offset,
      magic: p.magic,
      mask: p.mask,
      interpreter: '/i',
      flags: '',
    };
    const runs = (b: Uint8Array): boolean => entryMatches(e, { path: '/x', head: b });
    expect(runs(marked('HRT1'))).toBe(true);
    expect(runs(sh())).toBe(false);
    expect(runs(marked('HRT2'))).toBe(false);
    const arm = marked('HRT1');
    arm.set([183, 0], 18);
    expect(runs(arm)).toBe(false);
    const big = marked('HRT1');
    big[5] = 2;
    expect(runs(big)).toBe(false);
    const elf32 = marked('HRT1');
    elf32[4] = 1;
    expect(runs(elf32)).toBe(false);
    expect(() => markerPattern('bad tag')).toThrow(BinfmtError);
  });
});

describe('marker: only ELF64 little-endian x86-64 files carry one', () => {
  /** A file assembled here with e_flags set to `flags` (4 bytes, in file order). */
  const file = (o: { class?: 32 | 64; little?: boolean; machine?: number }, flags: number[]): Uint8Array => {
    const img = new ElfImage({ ...o, size: 64, segments: [] });
    img.bytes.set(flags, (o.class ?? 64) === 64 ? 48 : 36);
    return img.bytes;
  };
  const HRT1 = [0x48, 0x52, 0x54, 0x31];

  it.each([
    ['ELF64 LSB x86-64', {}, HRT1, 'HRT1'],
    ['the printable ends, ! and ~', {}, [0x21, 0x7e, 0x21, 0x7e], '!~!~'],
    ['a space', {}, [0x48, 0x20, 0x54, 0x31], null],
    ['DEL', {}, [0x48, 0x52, 0x7f, 0x31], null],
    ['one non-printable byte last', {}, [0x48, 0x52, 0x54, 0x01], null],
    ['e_flags 0', {}, [0, 0, 0, 0], null],
    ['ELF32', { class: 32 as const, machine: 62 }, HRT1, null],
    ['big-endian', { little: false }, HRT1, null],
    ['aarch64', { machine: 183 }, HRT1, null],
  ])('%s', (_n, o, flags, out) => {
    expect(marker(file(o, flags))).toBe(out);
  });

  it('ELF32: e_flags is at 36, and the printable bytes at 48 (e_shnum, e_shstrndx) are no marker', () => {
    const b = file({ class: 32, machine: 62 }, HRT1);
    b.set(HRT1, 48);
    expect(marker(b)).toBeNull();
  });

  it.each([
    ['ELF32', { class: 32 as const }, 'ELF32 little-endian i386'],
    ['ELF32 x86-64', { class: 32 as const, machine: 62 }, 'ELF32 little-endian x86-64'],
    ['big-endian', { little: false }, 'ELF64 big-endian x86-64'],
    ['aarch64', { machine: 183 }, 'ELF64 little-endian aarch64'],
  ])('planMark refuses %s, naming what it is (default file name "file")', (_n, o, what) => {
    expect(refusal(() => planMark(file(o, [0, 0, 0, 0]), 'HRT1'))).toMatchObject({
      code: 'EINVAL',
      field: 'e_machine',
      message: `file: only ELF64 little-endian x86-64 files can be marked (this is ${what}); e_flags carries the ABI elsewhere`,
    });
  });
});

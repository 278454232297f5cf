/**
 * entriesOverlap (could one exec match both?) and entryShadows (does the
 * newer match every file the older matches?), each checked against the
 * kernel's matching rule itself (entryMatches, confirmed against the kernel
 * by test/kernel/which-reality.test.ts) over every 3-byte file head.
 */
import { describe, expect, it } from 'vitest';
import { entriesOverlap, entryShadows } from '../../src/core/entry-overlap.js';
import { entryMatches, execWindow } from '../../src/core/match.js';
import { entry } from '../helpers/entry.js';

const MAGICS = [
  ':a:M::\\x02::/i:',
  ':b:M::\\x03:\\xfe:/i:',
  ':c:M:1:\\x02::/i:',
  ':d:M::\\x02\\x10::/i:',
  ':e:M:1:\\x10\\x05:\\xf0\\xff:/i:',
  ':f:M:2:\\x05::/i:',
  ':g:M::\\x12\\x00\\x05:\\x0f\\x00\\xff:/i:',
  ':h:M:1:\\x11::/i:',
].map((line) => entry(line));

/** Every file head over the bytes the entries look at: three bytes, values from each magic's neighbourhood. */
function* heads(): Generator<Uint8Array> {
  const values = [0x00, 0x02, 0x03, 0x05, 0x10, 0x11, 0x12, 0x15, 0xf2];
  for (const x of values) for (const y of values) for (const z of values) yield Uint8Array.from([x, y, z]);
}

describe('entriesOverlap and entryShadows agree with the matching rule', () => {
  const pairs = MAGICS.flatMap((a) => MAGICS.map((b) => [a, b] as const));
  it.each(pairs.map(([a, b]) => [a.name, b.name, a, b]))('%s and %s', (_x, _y, a, b) => {
    let both = false;
    let onlyB = false;
    for (const h of heads()) {
      const w = execWindow(h);
      const ma = entryMatches(a, { path: '/x', head: h }, w);
      const mb = entryMatches(b, { path: '/x', head: h }, w);
      both ||= ma && mb;
      onlyB ||= mb && !ma;
    }
    expect(entriesOverlap(a, b)).toBe(both);
    expect(entriesOverlap(b, a)).toBe(both);
    expect(entryShadows(a, b)).toBe(!onlyB);
  });

  it('extension entries: the same extension overlaps and shadows; a magic and an extension entry always overlap, never shadow', () => {
    const gz = entry(':gz:E::gz::/i:');
    const gz2 = entry(':gz2:E::gz::/j:');
    const bz = entry(':bz:E::bz::/i:');
    expect([entriesOverlap(gz, gz2), entryShadows(gz, gz2), entriesOverlap(gz, bz), entryShadows(gz, bz)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const m = MAGICS[0]!;
    expect([entriesOverlap(gz, m), entriesOverlap(m, gz), entryShadows(gz, m), entryShadows(m, gz)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

/** entryDifferences and describeDifference: which fields differ, and how a plan shows them. */
import { describe, expect, it } from 'vitest';
import { describeDifference, entryDifferences } from '../../src/core/entry-diff.js';
import { entry } from '../helpers/entry.js';

describe('entryDifferences and describeDifference', () => {
  it('compares every field but name and enabled', () => {
    const a = entry(':a:M:1:AB:\\xff\\xf0:/i:P');
    expect(entryDifferences(a, { ...a, name: 'other', enabled: false })).toEqual([]);
    expect(entryDifferences(a, entry(':b:M:2:AC::/j:PF'))).toEqual([
      { field: 'interpreter', a: '/i', b: '/j' },
      { field: 'flags', a: 'P', b: 'PF' },
      { field: 'offset', a: 1, b: 2 },
      { field: 'magic', a: '4142', b: '4143' },
      { field: 'mask', a: 'fff0', b: null },
    ]);
    expect(entryDifferences(entry(':e:E::x::/i:'), entry(':e:E::y::/i:'))).toEqual([
      { field: 'extension', a: 'x', b: 'y' },
    ]);
    // different types: the type, then only the fields both have
    expect(entryDifferences(entry(':e:E::x::/i:'), a)).toEqual([
      { field: 'type', a: 'extension', b: 'magic' },
      { field: 'flags', a: '', b: 'P' },
    ]);
  });

  it('says which side has what, and (none) for nothing', () => {
    expect(describeDifference({ field: 'flags', a: 'OP', b: 'OPF' }, 'kernel has', 'config has')).toBe(
      'flags: kernel has OP, config has OPF',
    );
    expect(describeDifference({ field: 'mask', a: null, b: 'ff' })).toBe('mask: expected (none), got ff');
    expect(describeDifference({ field: 'flags', a: '', b: 'P' })).toBe('flags: expected (none), got P');
    expect(describeDifference({ field: 'offset', a: 0, b: 3 })).toBe('offset: expected 0, got 3');
  });
});

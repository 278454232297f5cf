/** The entry model's value helpers: canonical flags, hex. */
import { describe, expect, it } from 'vitest';
import { canonicalFlags, fromHex, toHex } from '../../src/core/entry.js';

describe('entry helpers', () => {
  it('canonicalFlags: each letter once, POCF order, C adds O, others dropped', () => {
    expect(canonicalFlags('FCP')).toBe('POCF');
    expect(canonicalFlags('C')).toBe('OC');
    expect(canonicalFlags('PPx')).toBe('P');
    expect(canonicalFlags('')).toBe('');
  });

  it('toHex and fromHex', () => {
    expect(toHex(null)).toBeNull();
    expect(toHex(Uint8Array.from([0, 15, 16, 255]))).toBe('000f10ff');
    expect(Array.from(fromHex('000F10ff'))).toEqual([0, 15, 16, 255]);
    expect(fromHex('')).toEqual(new Uint8Array(0));
    for (const bad of ['0', 'zz', '0g', '123'])
      expect(() => fromHex(bad)).toThrow(`not an even run of hex digits: ${bad}`);
  });
});

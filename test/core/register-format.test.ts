/** formatRegister's choice of delimiter, and its refusals. */
import { describe, expect, it } from 'vitest';
import { DELIMITERS, formatRegister } from '../../src/core/register-format.js';
import { type Entry } from '../../src/core/entry.js';
import { BinfmtError } from '../../src/core/binfmt-error.js';
import { entry } from '../helpers/entry.js';

describe('formatRegister', () => {
  it("':' unless a field holds it, then the next delimiter in order", () => {
    expect(formatRegister(entry(':a:E::x::/i:P'))).toBe(':a:E::x::/i:P');
    expect(formatRegister(entry('|a:b|E||x||/i|'))).toBe('|a:b|E||x||/i|');
    expect(formatRegister(entry('!a:b|c,d!E!!x!!/i!'))).toBe('!a:b|c,d!E!!x!!/i!');
    expect(formatRegister(entry(':m:M:3:AB:\\xff\\x0f:/i:F'))).toBe(':m:M:3:AB:\\xff\\x0f:/i:F');
    expect(formatRegister(entry(':m:M::AB::/i:'))).toBe(':m:M::AB::/i:');
  });

  it('refuses an entry whose fields use every delimiter, and a delimiter that occurs in a field', () => {
    const all = { ...entry(':a:E::x::/i:'), interpreter: `/i${DELIMITERS.join('')}` };
    expect(() => formatRegister(all)).toThrow(BinfmtError);
    expect(() => formatRegister(all)).toThrow(
      `entry 'a': its name, interpreter and extension use every usable delimiter`,
    );
    expect(() => formatRegister(entry(':a:E::x::/i:'), 'x')).toThrow(`entry 'a': delimiter 'x' occurs in a field`);
    expect(() => formatRegister({ ...entry(':a:M::AB::/i:'), interpreter: '/i|' }, '|')).toThrow(
      /delimiter '\|' occurs/,
    );
    expect(() => formatRegister({ ...entry(':a:E::x::/i:'), extension: 'a|b' } as Entry, '|')).toThrow(
      /delimiter '\|' occurs/,
    );
    expect(formatRegister({ ...entry(':a:M::AB::/i:'), interpreter: '/i|' }, ':')).toBe(':a:M::AB::/i|:');
  });
});

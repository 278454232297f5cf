/**
 * The core's path arithmetic gives Node's path.posix results (the oracle here:
 * the core itself may not import Node), on every path made of '/', '.', and
 * short names, where the corner cases live.
 */
import { describe, expect, it } from 'vitest';
import { posix } from 'node:path';
import fc from 'fast-check';
import { dirnamePath, isAbsolutePath, joinPath, normalizePath } from '../../src/core/posix-path.js';

const path = fc
  .array(fc.constantFrom('/', '.', '..', 'a', 'bc', '//', ' '), { maxLength: 10 })
  .map((xs) => xs.join(''));

describe('posix-path agrees with path.posix', () => {
  it.each([
    ['', '.', '.'],
    ['/', '/', '/'],
    ['//a', '/a', '//'],
    ['/a/b/', '/a/b/', '/a'],
    ['a/../..', '..', 'a/..'],
    ['/a/../../b', '/b', '/a/../..'],
    ['./', './', '.'],
    ['a', 'a', '.'],
  ])('%j: normalize %j, dirname %j', (p, normalized, dir) => {
    expect(normalizePath(p)).toBe(normalized);
    expect(dirnamePath(p)).toBe(dir);
  });

  it('normalize, dirname and isAbsolute', () => {
    fc.assert(
      fc.property(path, (p) => {
        expect(normalizePath(p)).toBe(posix.normalize(p));
        expect(dirnamePath(p)).toBe(posix.dirname(p));
        expect(isAbsolutePath(p)).toBe(posix.isAbsolute(p));
      }),
      { numRuns: 300 },
    );
  });

  it('join', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 4 }), (parts) => {
        expect(joinPath(...parts)).toBe(posix.join(...parts));
      }),
      { numRuns: 300 },
    );
  });
});

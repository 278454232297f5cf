/** PT_INTERP's place read from a file's first page only, checked against readelf. */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { interpRange } from '../../src/elf/program-headers.js';
import { LOADER, buildFixtures, fixture } from '../loader/helpers.js';

/** What the safety guards read of an interpreter (src/kernel/file-facts.ts). */
const PAGE = 4096;

function readelfInterp(file: string): string | null {
  const m = /\[Requesting program interpreter: (.+?)\]/.exec(
    execFileSync('readelf', ['-lW', file], { encoding: 'utf8' }),
  );
  return m ? m[1]! : null;
}

beforeAll(buildFixtures);

describe('interpRange (a prefix of the file)', () => {
  it('finds PT_INTERP of a dynamic program from its first page, as readelf does', () => {
    for (const file of ['/bin/sh', process.execPath, fixture('probe')]) {
      const bytes = readFileSync(file);
      const r = interpRange(bytes.subarray(0, PAGE));
      expect(r, file).not.toBeNull();
      const s = bytes.subarray(r!.offset, r!.offset + r!.size);
      expect(Buffer.from(s.subarray(0, s.indexOf(0))).toString(), file).toBe(readelfInterp(file));
    }
  });

  it('is null for a static program, an ld.so, text, and a prefix that stops inside the program headers', () => {
    expect(readelfInterp(fixture('probe-static'))).toBeNull();
    expect(interpRange(readFileSync(fixture('probe-static')).subarray(0, PAGE))).toBeNull();
    expect(interpRange(readFileSync(LOADER).subarray(0, PAGE))).toBeNull();
    expect(interpRange(Buffer.from('#!/bin/sh\necho hi\n'))).toBeNull();
    expect(interpRange(readFileSync('/bin/sh').subarray(0, 100))).toBeNull();
  });
});

/**
 * Temporary directories that go away by themselves: a test removes what it
 * made. Every test file has a TMPDIR of its own that must be empty when its
 * tests are done (own-tmpdir.ts); these are made in it.
 */
import { afterAll, onTestFinished } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const untilFileEnds: string[] = [];
afterAll(() => {
  for (const dir of untilFileEnds.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under TMPDIR named PREFIX + random, removed when the test file's tests are done. */
export function fileTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  untilFileEnds.push(dir);
  return dir;
}

/**
 * A fresh directory under TMPDIR named PREFIX + random. Made inside a test, it
 * is removed when that test finishes; made elsewhere (a beforeAll, a
 * describe), when the test file's tests are done.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    untilFileEnds.push(dir); // not inside a test
  }
  return dir;
}

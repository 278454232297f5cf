/**
 * Temporary directories that go away by themselves: a test removes what it
 * made. Made inside a test, one is removed when that test finishes; made
 * elsewhere (a beforeAll, a describe), when the test file's tests are done.
 */
import { afterAll, onTestFinished } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const untilFileEnds: string[] = [];
afterAll(() => {
  for (const dir of untilFileEnds.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under TMPDIR named PREFIX + random, removed again as above. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    untilFileEnds.push(dir); // not inside a test
  }
  return dir;
}

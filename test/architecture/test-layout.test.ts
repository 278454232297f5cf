/**
 * The test tree mirrors src/: every folder of src/ has a folder of tests of
 * the same name, and every folder of test/ is named in test/README.md's table
 * with what it tests (the rule for where a test lives is written there). No
 * test sits at the top of test/, outside any folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/sandbox.js';

const TEST = join(ROOT, 'test');

const foldersOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

/** The folders test/README.md's table names: rows that start with | `NAME/` |. */
const listed = [...readFileSync(join(TEST, 'README.md'), 'utf8').matchAll(/^\| `([\w-]+)\/` \|/gm)]
  .map((m) => m[1]!)
  .sort();

describe('the test tree', () => {
  it('has a folder of tests for every folder of src/', () => {
    const without = foldersOf(join(ROOT, 'src')).filter(
      (f) => !existsSync(join(TEST, f)) || !readdirSync(join(TEST, f)).some((n) => n.endsWith('.test.ts')),
    );
    expect(without).toEqual([]);
  });

  it('is described folder by folder in test/README.md, and only the folders there are', () => {
    expect(listed.length).toBeGreaterThan(10);
    expect(listed).toEqual(foldersOf(TEST));
  });

  it('has no test outside a folder', () => {
    expect(readdirSync(TEST).filter((n) => n.endsWith('.test.ts'))).toEqual([]);
  });
});

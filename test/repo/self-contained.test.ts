/**
 * The repository stands on its own: no doc, comment, test or script may send
 * the reader to notes outside it (the developers' private reference pages and
 * seed texts), which no user or contributor can open. A fact belongs where it
 * is used, with its reason, or in a page under docs/.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';

const TREES = ['src', 'native', 'docs', 'test', 'bench', 'scripts', 'binfmt', 'README.md', 'CMakeLists.txt', '.ci'];
// Built from pieces so that this file does not match itself.
const OUTSIDE = [
  new RegExp(['reference', ' §'].join(''), 'i'),
  new RegExp(['shared', '/'].join(''), 'i'),
  new RegExp(['seeds?', ' ', '0\\d'].join(''), 'i'),
  new RegExp(['reference', '/'].join(''), 'i'),
];

function filesUnder(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path).flatMap((n) => (n === 'node_modules' || n === 'build' ? [] : filesUnder(join(path, n))));
}

describe('the repository is self-contained', () => {
  const files = TREES.flatMap((t) => filesUnder(join(ROOT, t)));

  it('scans the tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('cites nothing outside the repository', () => {
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(f);
      if (text.includes(0)) continue; // binary fixtures
      text
        .toString('utf8')
        .split('\n')
        .forEach((line, i) => {
          if (OUTSIDE.some((re) => re.test(line))) hits.push(`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});

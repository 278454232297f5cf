/**
 * The repository stands on its own: no doc, comment, test or script may send
 * the reader to notes outside it (the developers' private reference pages and
 * seed texts), which no user or contributor can open. A fact belongs where it
 * is used, with its reason, or in a page under docs/.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';

const TREES = ['src', 'native', 'docs', 'test', 'bench', 'scripts', 'binfmt', 'README.md', 'CMakeLists.txt', '.ci'];
// Built from pieces so that this file does not match itself.
const OUTSIDE = [
  new RegExp(['reference', ' \u00a7'].join(''), 'i'),
  new RegExp(['shared', '/'].join(''), 'i'),
  new RegExp(['seeds?', ' ', '0\\d'].join(''), 'i'),
  new RegExp(['reference', '/'].join(''), 'i'),
];

/**
 * A section sign cites a section of a page (a page's name, the sign, a
 * number). It must name a page that is in the repository; one that names no
 * page, or a page that is not here, sends the reader outside.
 */
const SECTION = '\u00a7';
const PAGE = /[\w.+-]+\.(?:md|txt|rst)\b/g;
function citesOutside(line: string, pages: Set<string>): boolean {
  if (!line.includes(SECTION)) return false;
  const named = line.match(PAGE) ?? [];
  return named.length === 0 || named.some((n) => !pages.has(n));
}

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
  const pages = new Set(files.map((f) => basename(f)));

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
          if (OUTSIDE.some((re) => re.test(line)) || citesOutside(line, pages))
            hits.push(`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('tells a cited section of a page outside the repository from one inside', () => {
    const here = new Set(['binfmt-sandbox.1.md']);
    const outside = ['kernel', '.md ', SECTION, '1.2'].join('');
    expect(citesOutside(`see ${outside}, ${SECTION}1.10`, here)).toBe(true);
    expect(citesOutside(`as measured (${SECTION}3.4)`, here)).toBe(true);
    expect(citesOutside(`binfmt-sandbox.1.md ${SECTION}2`, here)).toBe(false);
    expect(citesOutside('binfmt-sandbox.1.md, EXIT STATUS', here)).toBe(false);
  });
});

// Builds the man pages: every docs/NAME.SECTION.md (binfmt(1), binfmt.d(5),
// binfmt-loader(8), ...) becomes dist/man/NAME.SECTION in roff, with
// marked-man (a devDependency; nothing is downloaded). package.json's "man"
// lists them, so that `npm install -g` links them where man(1) looks
// (PREFIX/share/man/manSECTION). The walkthroughs (use-*.md) are not man pages.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Marked } from 'marked';
import markedMan from 'marked-man';
import { fitTables } from './man-tables.mjs';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'dist', 'man');
const PAGE = /^(.+)\.([1-8])\.md$/;

/**
 * marked escapes code spans for HTML (&quot;, &#39;, &lt;, &gt;, &amp;) and
 * marked-man passes them on, so man(1) showed `&quot;mode&quot;`. roff's
 * own glyphs for the quotes are safe in macro arguments too.
 */
function unescapeHtml(roff) {
  return roff
    .replace(/&quot;/g, '\\(dq')
    .replace(/&#39;/g, '\\(aq')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of readdirSync(join(root, 'docs')).sort()) {
  if (!PAGE.test(file)) continue;
  // The pages end synopsis lines with <br> (GitHub renders it); in markdown
  // proper that is a hard line break: two trailing spaces.
  const md = readFileSync(join(root, 'docs', file), 'utf8').replace(/<br>$/gm, '  ');
  const marked = new Marked({ ...markedMan, breaks: false, manVersion: pkg.version });
  writeFileSync(join(out, file.slice(0, -'.md'.length)), fitTables(unescapeHtml(marked.parse(md))));
}

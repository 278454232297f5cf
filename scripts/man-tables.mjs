// For scripts/man.mjs: tables that fit an 80-column terminal. marked-man
// writes every table as `expand` with equal text-block columns, so a column
// of short words gets as much room as one of long sentences: man(1) at 80
// columns then warns "cannot adjust line" / "can't break line" and draws
// ragged boxes. Here each column gets a width (tbl's w()) from its contents:
// its longest cell if all fit, else at least its longest word and a share of
// the rest in proportion to what it lacks. Cells are set ragged-right and
// unhyphenated (.na/.nh, restored after the table).

/** Characters a table may take at MANWIDTH=80: 80 less man's margins (7 + 1) and an indented list's (3). */
export const TABLE_WIDTH = 69;
/** tbl's gap between columns (3n) and what the box takes (a rule and a space at each side). */
const GAP = 3;
const BOX = 4;

/** The text a roff cell shows: font changes, escapes and zero-width marks removed. */
function visible(roff) {
  return roff
    .replace(/\\f(\[[^\]]*\]|\(..|.)/g, '')
    .replace(/\\\(../g, 'x')
    .replace(/\\&/g, '')
    .replace(/\\e/g, '\\')
    .replace(/\\(.)/g, '$1');
}

function widths(rows, columns) {
  const longest = Array(columns).fill(1);
  const word = Array(columns).fill(1);
  for (const cells of rows) {
    cells.forEach((cell, i) => {
      const text = visible(cell).replace(/\s+/g, ' ').trim();
      longest[i] = Math.max(longest[i], text.length);
      for (const w of text.split(' ')) word[i] = Math.max(word[i], w.length);
    });
  }
  const room = TABLE_WIDTH - BOX - GAP * (columns - 1);
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  if (sum(longest) <= room) return longest;
  const lack = longest.map((l, i) => l - word[i]);
  const spare = Math.max(0, room - sum(word));
  return word.map((w, i) => w + Math.floor((spare * lack[i]) / Math.max(1, sum(lack))));
}

/** Rewrites each .TS ... .TE block of a page made by marked-man. */
export function fitTables(roff) {
  return roff.replace(/^\.TS\n(.*)\n(.*)\.\n([\s\S]*?)^\.TE\n/gm, (_all, options, format, body) => {
    const aligns = format.trim().split(/\s+/);
    const rows = body.split(/^[_=]\n/m).map((row) => [...row.matchAll(/T\{\n([\s\S]*?)\nT\}/g)].map((m) => m[1]));
    const w = widths(rows, aligns.length);
    const spec = aligns.map((a, i) => `${a}w(${w[i]}n)`).join(' ');
    const opts = options.replace(/\bexpand\s*/, '');
    return `.na\n.nh\n.TS\n${opts}\n${spec}.\n${body}.TE\n.ad\n.hy \\n[HY]\n`;
  });
}

/**
 * The rules of one binfmt.d file (systemd's format, binfmt.d(5)): each line is
 * stripped of surrounding white space; empty lines and lines starting with '#'
 * or ';' are comments; every other line is one register string. Pure.
 */
export interface Rule {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

export function rulesOf(content: string): Rule[] {
  const out: Rule[] = [];
  content.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#') || text.startsWith(';')) return;
    out.push({ line: i + 1, text });
  });
  return out;
}

/** The name field of a register string (between the first two delimiters), or null. */
export function ruleName(text: string): string | null {
  const del = text[0];
  if (del === undefined) return null;
  const end = text.indexOf(del, 1);
  return end < 0 ? null : text.slice(1, end);
}

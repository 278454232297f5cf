/**
 * binfmt.d(5) with systemd's exact rules, as pure functions (the directory
 * reading is in src/config/binfmtd-sources.ts).
 *
 * Rules (systemd 252: src/basic/conf-files.c, src/binfmt/binfmt.c,
 * man/binfmt.d.xml, man/standard-conf.xml), checked against
 * /lib/systemd/systemd-binfmt in a private instance
 * (test/ops/against-systemd.test.ts):
 * - only names ending in ".conf" count, names starting with "." are hidden;
 * - a name found in an earlier directory (higher precedence) hides the same
 *   name in every later one; an empty file, or a symlink to /dev/null,
 *   therefore masks it (it reads as empty);
 * - the surviving files are processed in strcmp() order of their base names,
 *   across directories;
 * - each line is stripped of " \t\n\r" at both ends; empty lines and lines
 *   starting with '#' or ';' are skipped; every other line is one register
 *   string (systemd writes it with a "\n" appended, in one write).
 * - read_line() ends a line at "\n", "\r" or NUL; "\r\n" or "\n\r" count as
 *   one line end.
 */

/** Where systemd looks, highest precedence first (CONF_PATHS("binfmt.d")). */
export const BINFMTD_DIRS: readonly string[] = [
  '/etc/binfmt.d',
  '/run/binfmt.d',
  '/usr/local/lib/binfmt.d',
  '/usr/lib/binfmt.d',
];

/** conf_files_list_strv(..., ".conf", ...) */
export const CONF_SUFFIX = '.conf';

/** systemd's WHITESPACE (src/basic/string-util.h), what strstrip() removes. */
const WHITESPACE = ' \t\n\r';
/** systemd's COMMENTS (src/basic/string-util.h). */
const COMMENTS = '#;';
const utf8 = new TextEncoder();

export interface ConfFileCandidate {
  /** Directory as given (e.g. "/etc/binfmt.d", shown in messages). */
  dir: string;
  /** Base name. */
  name: string;
}

export interface ConfFileChoice extends ConfFileCandidate {
  /** The same name in lower-precedence directories, hidden by this one. */
  overrides: string[];
}

/** A hidden file by systemd's rules (hidden_or_backup_file); only the dot matters for ".conf" names. */
function hidden(name: string): boolean {
  return name.startsWith('.');
}

/** strcmp() of the UTF-8 bytes. */
function byteCompare(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * Which files apply, in the order they are applied. `listings` are in
 * precedence order (highest first), each with the names in that directory.
 */
export function chooseConfFiles(listings: { dir: string; names: string[] }[]): ConfFileChoice[] {
  const chosen = new Map<string, ConfFileChoice>();
  for (const { dir, names } of listings) {
    for (const name of names) {
      if (!name.endsWith(CONF_SUFFIX) || hidden(name)) continue;
      const earlier = chosen.get(name);
      if (earlier) earlier.overrides.push(`${dir}/${name}`);
      else chosen.set(name, { dir, name, overrides: [] });
    }
  }
  return [...chosen.values()].sort((a, b) => byteCompare(a.name, b.name));
}

export interface ConfigLine {
  /** File path as shown in messages. */
  file: string;
  /** 1-based line number. */
  line: number;
  /** The stripped line: a register string without its newline. */
  text: string;
}

function strip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && WHITESPACE.includes(s[a]!)) a++;
  while (b > a && WHITESPACE.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

const EOL = '\n\r\0';

/**
 * Lines the way systemd's read_line() splits them: a run of line-end
 * characters of different kinds is one line end ("\r\n", "\n\r", "\n\0"),
 * and a NUL ends the run.
 */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!EOL.includes(c)) {
      cur += c;
      continue;
    }
    const seen = new Set([c]);
    while (!seen.has('\0') && i + 1 < text.length && EOL.includes(text[i + 1]!) && !seen.has(text[i + 1]!))
      seen.add(text[++i]!);
    out.push(cur);
    cur = '';
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** The rule lines of one file, with their line numbers; comments and blank lines dropped. */
export function ruleLines(file: string, text: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  splitLines(text).forEach((raw, i) => {
    const text = strip(raw);
    if (text === '' || COMMENTS.includes(text[0]!)) return;
    out.push({ file, line: i + 1, text });
  });
  return out;
}

/** The name field of a register string, as systemd extracts it (the first delimiter-separated field). */
export function ruleName(text: string): string {
  const d = text[0] ?? '';
  const end = text.indexOf(d, 1);
  return end < 0 ? text.slice(1) : text.slice(1, end);
}

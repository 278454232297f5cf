/**
 * ld.so.conf as ldconfig(8) reads it (glibc elf/ldconfig.c, parse_conf):
 * `#` comments, `include PATTERN...` (relative patterns are relative to the
 * including file's directory), `hwcap` lines (obsolete, ignored), and
 * otherwise directories separated by whitespace, `:` or `,`.
 * Pure: text in, entries out; src/runtime/ does the reading and globbing.
 */
import { posix } from 'node:path';

export type LdSoConfEntry = { kind: 'dir'; path: string } | { kind: 'include'; pattern: string };

export function parseLdSoConf(text: string, file: string): LdSoConfEntry[] {
  const out: LdSoConfEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const inc = /^include\s+(.+)$/.exec(line);
    if (inc) {
      for (const p of inc[1]!.split(/\s+/))
        out.push({ kind: 'include', pattern: posix.isAbsolute(p) ? p : posix.join(posix.dirname(file), p) });
      continue;
    }
    if (/^hwcap\s/.test(line)) continue;
    for (const d of line.split(/[\s:,]+/)) {
      // "dir=libc5" (an old ldconfig type suffix) names dir
      const path = d.replace(/=.*$/, '');
      if (path.startsWith('/')) out.push({ kind: 'dir', path: posix.normalize(path) });
    }
  }
  return out;
}

/** fnmatch-style match of one path component with `*`, `?` and `[...]` (what glob(3) does for ld.so.conf). */
export function matchComponent(name: string, pattern: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  const re = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`).test(name);
}

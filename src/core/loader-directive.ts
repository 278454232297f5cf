/**
 * Shipped definitions that run through the chainloader do not name an install
 * path. Their interpreter field is the placeholder `@loader`, and a comment
 *
 *   # binfmt-loader: --ld-from-program --root /run/host
 *
 * says how `binfmt register NAME` stamps the copy it installs (the options of
 * `binfmt loader stamp`). Pure: file text in, options out.
 */
import { BinfmtError } from './binfmt-error.js';
import { option } from './fix.js';
import { splitLines } from './binfmtd-merge.js';

export const LOADER_PLACEHOLDER = '@loader';
const DIRECTIVE = /^#\s*binfmt-loader:\s*(.*)$/;

/** How a loader copy finds ld.so: what a directive may set, and part of what `binfmt loader stamp` takes. */
export interface LoaderPolicy {
  /** Policy "fixed": this absolute ld.so path, opened at every exec. */
  ld?: string;
  /** Policy "embedded": this ld.so file is carried inside the copy. */
  embedLd?: string;
  /** Policy "from-program": each program's own PT_INTERP ... */
  ldFromProgram?: boolean;
  /** ... resolved inside this directory when it is not the same directory as / (e.g. /run/host). */
  root?: string;
  /** --library-path for ld.so (colon-separated directories). */
  libraryPath?: string;
  inhibitCache?: boolean;
}

/** The stamp options of a directive, plus where it was. */
export interface LoaderDirective extends LoaderPolicy {
  /** 1-based line of the directive. */
  line: number;
}

const VALUED: Record<string, 'ld' | 'embedLd' | 'root' | 'libraryPath'> = {
  '--ld': 'ld',
  '--embed-ld': 'embedLd',
  '--root': 'root',
  '--library-path': 'libraryPath',
};
const SWITCHES: Record<string, 'ldFromProgram' | 'inhibitCache'> = {
  '--ld-from-program': 'ldFromProgram',
  '--inhibit-cache': 'inhibitCache',
};

/** The file's `# binfmt-loader:` directive, or null when it has none. At most one. */
export function loaderDirective(content: string, file: string): LoaderDirective | null {
  let found: LoaderDirective | null = null;
  splitLines(content).forEach((raw, i) => {
    const m = DIRECTIVE.exec(raw.trim());
    if (!m) return;
    const where = `${file}:${i + 1}`;
    if (found)
      throw new BinfmtError(
        'EINVAL',
        `${where}: a second binfmt-loader directive (the first is on line ${found.line})`,
        where,
      );
    const d: LoaderDirective = { line: i + 1 };
    const words = m[1]!.split(/\s+/).filter(Boolean);
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      if (SWITCHES[w]) {
        d[SWITCHES[w]] = true;
      } else if (VALUED[w]) {
        const v = words[++k];
        if (v === undefined) throw new BinfmtError('EINVAL', `${where}: binfmt-loader: ${w} needs a value`, where);
        d[VALUED[w]] = v;
      } else {
        throw new BinfmtError(
          'EINVAL',
          `${where}: binfmt-loader: unknown option ${JSON.stringify(w)} (known: ${[...Object.keys(SWITCHES), ...Object.keys(VALUED)].join(', ')})`,
          where,
        );
      }
    }
    found = d;
  });
  return found;
}

/** The register line with its `@loader` interpreter field replaced by `path`; the line unchanged if it has none. */
export function withInterpreter(line: string, path: string): string {
  const del = line[0];
  if (del === undefined) return line;
  const fields = line.slice(1).split(del);
  // :name:type:offset:magic:mask:interpreter:flags — the interpreter is field 5 (0-based after the leading delimiter)
  if (fields.length < 7 || fields[5] !== LOADER_PLACEHOLDER) return line;
  if (path.includes(del))
    throw new BinfmtError('EINVAL', `loader path ${path} contains the delimiter '${del}'`, option('loaderDir'));
  fields[5] = path;
  return del + fields.join(del);
}

/** The flags field (the last) of a register line, or '' when it has none. */
export function entryFlagsOf(line: string): string {
  const del = line[0];
  if (del === undefined) return '';
  const fields = line.replace(/\n$/, '').slice(1).split(del);
  return fields.length >= 7 ? fields[6]! : '';
}

export function usesLoaderPlaceholder(line: string): boolean {
  return withInterpreter(line, '/x') !== line;
}

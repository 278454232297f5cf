/**
 * The layers of src/, checked by reading every file's imports: each folder
 * may import only the folders listed for it below (imports point inward, to
 * the pure core), there is no cycle between folders or between files, the
 * pure folders use no I/O module, and only src/sys/native.ts loads the addon.
 * The README's Layout table says the same in words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** What each folder of src/ may import besides itself. */
export const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  elf: ['core'],
  sys: ['core'],
  config: ['core', 'sys'],
  kernel: ['core', 'elf', 'sys'],
  loader: ['core', 'elf', 'sys'],
  runtime: ['core', 'elf', 'sys'],
  exec: ['core', 'elf', 'sys', 'runtime', 'loader'],
  ops: ['core', 'elf', 'sys', 'config', 'kernel', 'loader', 'runtime', 'exec'],
  cli: ['core', 'elf', 'sys', 'config', 'kernel', 'loader', 'runtime', 'exec', 'ops'],
};

/** Node modules the pure folders may use: string functions only, no I/O (of node:path, only posix). */
const PURE_NODE = new Set(['node:path']);
const PURE = new Set(['core', 'elf']);

export interface Import {
  /** Importing file, relative to src/ ("ops/reconcile.ts"). */
  from: string;
  /** The specifier as written. */
  spec: string;
  /** The imported file relative to src/, for relative specifiers; null for packages. */
  to: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** Every static import/export-from and dynamic import() with a string literal. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

export function readImports(srcDir = SRC): Import[] {
  return sourceFiles(srcDir).flatMap((file) => {
    const from = relative(srcDir, file);
    return importsOf(readFileSync(file, 'utf8')).map((spec) => ({
      from,
      spec,
      to: spec.startsWith('.') ? relative(srcDir, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : null,
    }));
  });
}

const folderOf = (path: string): string => path.split('/')[0]!;

/** What each import of node:path in `text` takes, as written ("{ posix }"). */
export function nodePathTakes(text: string): string[] {
  return [...text.matchAll(/^\s*import\s+([^'"]*?)\s*from\s*['"]node:path['"]/gm)].map((m) =>
    m[1]!.replace(/\s+/g, ' '),
  );
}

/** Imports that go where the table does not allow (or out of src/). */
export function outwardImports(imports: Import[]): string[] {
  return imports.flatMap((i) => {
    const a = folderOf(i.from);
    if (i.to === null) {
      if (PURE.has(a) && i.spec.startsWith('node:') && !PURE_NODE.has(i.spec))
        return [`${i.from}: pure folder ${a} imports ${i.spec}`];
      return [];
    }
    if (i.to.startsWith('..')) return [`${i.from}: imports ${i.spec}, outside src/`];
    const b = folderOf(i.to);
    if (!(a in ALLOWED)) return [`${i.from}: folder ${a} is not in the layer table`];
    if (a !== b && !ALLOWED[a]!.includes(b)) return [`${i.from}: ${a} may not import ${b} (${i.spec})`];
    return [];
  });
}

/** Cycles in a graph given as edges, each reported once as "a -> b -> a". */
export function cycles(edges: [string, string][]): string[] {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    path.push(n);
    for (const m of next.get(n) ?? []) {
      if (state.get(m) === 'open') {
        const loop = path.slice(path.indexOf(m));
        const start = loop.indexOf([...loop].sort()[0]!);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        found.add([...rotated, rotated[0]].join(' -> '));
      } else if (!state.has(m)) visit(m);
    }
    path.pop();
    state.set(n, 'done');
  };
  for (const n of [...next.keys()].sort()) if (!state.has(n)) visit(n);
  return [...found].sort();
}

const relativeEdges = (imports: Import[]): [string, string][] =>
  imports.flatMap((i) => (i.to ? [[i.from, i.to] as [string, string]] : []));

describe('the layers of src/', () => {
  const imports = readImports();

  it('reads the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({ from: 'cli/commands.ts', spec: './commands/list.js', to: 'cli/commands/list.ts' });
  });

  it('every folder of src/ is in the layer table', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it('imports point inward: each folder imports only what the table allows', () => {
    expect(outwardImports(imports)).toEqual([]);
  });

  it('there is no cycle between folders', () => {
    expect(cycles(relativeEdges(imports).map(([a, b]) => [folderOf(a), folderOf(b)]))).toEqual([]);
  });

  it('there is no cycle between files', () => {
    expect(cycles(relativeEdges(imports))).toEqual([]);
  });

  it('nothing outside src/cli imports src/cli', () => {
    expect(
      imports.filter((i) => i.to && folderOf(i.to) === 'cli' && folderOf(i.from) !== 'cli').map((i) => i.from),
    ).toEqual([]);
  });

  it('the pure folders take only posix from node:path (its string arithmetic, the same on every host)', () => {
    const pure = imports.filter((i) => i.spec === 'node:path' && PURE.has(folderOf(i.from))).map((i) => i.from);
    expect(pure.length).toBeGreaterThan(0);
    const takes = pure.flatMap((f) => nodePathTakes(readFileSync(join(SRC, f), 'utf8')).map((t) => `${f}: ${t}`));
    expect(takes.filter((t) => !t.endsWith(': { posix }'))).toEqual([]);
  });

  it('only src/sys/native.ts loads the native addon', () => {
    const loaders = readImports()
      .map((i) => i.from)
      .filter((f, k, all) => all.indexOf(f) === k)
      .filter((f) => /createRequire|binfmt_native/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(loaders).toEqual(['sys/native.ts']);
  });
});

describe('the layer check can fail', () => {
  it('reports an outward import, a cycle between folders and an impure core', () => {
    const bad: Import[] = [
      { from: 'core/x.ts', spec: '../elf/y.js', to: 'elf/y.ts' },
      { from: 'elf/y.ts', spec: '../core/x.js', to: 'core/x.ts' },
      { from: 'config/z.ts', spec: '../kernel/k.js', to: 'kernel/k.ts' },
      { from: 'kernel/k.ts', spec: '../cli/main.js', to: 'cli/main.ts' },
      { from: 'core/w.ts', spec: 'node:fs', to: null },
    ];
    expect(outwardImports(bad)).toEqual([
      'core/x.ts: core may not import elf (../elf/y.js)',
      'config/z.ts: config may not import kernel (../kernel/k.js)',
      'kernel/k.ts: kernel may not import cli (../cli/main.js)',
      'core/w.ts: pure folder core imports node:fs',
    ]);
    expect(cycles(relativeEdges(bad).map(([a, b]) => [folderOf(a), folderOf(b)]))).toEqual(['core -> elf -> core']);
  });

  it('sees what an import takes from node:path', () => {
    const text =
      "import { join } from 'node:path';\nimport {\n  posix,\n} from 'node:path';\nimport path from 'node:path';";
    expect(nodePathTakes(text)).toEqual(['{ join }', '{ posix, }', 'path']);
  });

  it('finds the imports of every form', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "import './side.js';",
      "const d = await import('./d.js');",
      "import {\n  e,\n  f,\n} from './ef.js';",
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['../b/b.js', './a.js', './c.js', './d.js', './ef.js', './side.js']);
  });
});

// Bundles the CLI (see src/cli/bin.ts for why a bundle): dist/cli/binfmt.cjs
// is the launcher; dist/cli/program.cjs holds main, commander and the command
// table; each command's code is its own bundle, dist/cli/commands/<name>.cjs,
// required only when that command runs, so `binfmt list` neither parses nor
// loads the ELF reader, the loader stamping or the native addon. Code shared
// by commands is copied into each command bundle (only one runs per process).
// Each bundle but the launcher gets its V8 code cache, <bundle>.cache
// (src/sys/code-cache.ts): made from dist/sys, which tsc has built before.
// import.meta.url becomes each bundle's own URL, from which
// src/sys/package-files.ts walks up to the package root (the directory whose
// package.json is named "binfmt"), so the depth of a bundle does not matter.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { makeCodeCache } from '../dist/sys/code-cache-make.js';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__binfmt_module_url' },
  banner: { js: "var __binfmt_module_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

/** `import('./commands/NAME.js')` in the command table stays a run-time require of the command's own bundle. */
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => ({
      path: args.path.replace(/\.js$/, '.cjs'),
      external: true,
    }));
  },
};

// No dynamic import(): as require() the command's bundle loads as plain CommonJS; Node's import() of a .cjs
// file would first scan all of it for its exports (cjs-module-lexer).
/**
 * node:child_process costs ~40 internal modules (net, streams: ~3 ms) to load.
 * commander requires it at load time, only to run executable subcommands,
 * which binfmt has none of; commands import it for paths that do not always
 * run (emulate --podman starts podman only when its pause process is not
 * running, and runs the native-arch probe only for an architecture that is
 * not registered yet). Each import of it gets a stand-in that loads the real
 * one on first use: for commander (require) an object that forwards reads, for
 * binfmt's own imports (import { spawnSync }) a module whose functions forward
 * their calls (a name it does not have fails the build: esbuild checks ES
 * imports against the exports).
 */
const childProcess = createRequire(import.meta.url)('node:child_process');
const forwarded = Object.keys(childProcess)
  .filter((k) => typeof childProcess[k] === 'function' && /^[a-z]/.test(k))
  .map((k) => `export function ${k}(...a) { return require('node:child_process').${k}(...a); }`)
  .join('\n');
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'lazy'
        ? undefined
        : { path: args.importer.includes('/node_modules/') ? 'required' : 'imported', namespace: 'lazy' },
    );
    b.onLoad({ filter: /^required$/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
    b.onLoad({ filter: /^imported$/, namespace: 'lazy' }, () => ({ contents: forwarded, loader: 'js' }));
  },
};

/** The launcher's require('./program.cjs') stays a run-time require of the program's bundle. */
const programApart = {
  name: 'program-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/program\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

await build({
  ...common,
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/cli/binfmt.cjs',
  plugins: [programApart],
});
await build({
  ...common,
  entryPoints: ['src/cli/program.ts'],
  outfile: 'dist/cli/program.cjs',
  plugins: [commandsApart, lazyChildProcess],
  supported: { 'dynamic-import': false },
});
await build({
  ...common,
  entryPoints: readdirSync('src/cli/commands')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `src/cli/commands/${f}`),
  outdir: 'dist/cli/commands',
  outExtension: { '.js': '.cjs' },
  plugins: [lazyChildProcess],
});

for (const f of [
  'program.cjs',
  ...readdirSync('dist/cli/commands')
    .filter((f) => f.endsWith('.cjs'))
    .map((f) => `commands/${f}`),
])
  makeCodeCache(`dist/cli/${f}`);

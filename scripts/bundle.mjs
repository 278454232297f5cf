// Bundles the CLI into dist/cli/binfmt.cjs (see src/cli/bin.ts for why).
// import.meta.url becomes the bundle's own URL, from which
// src/sys/package-files.ts walks up to the package root (the directory whose
// package.json is named "binfmt"), so the depth of the bundle does not matter.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/cli/binfmt.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__binfmt_module_url' },
  banner: { js: "var __binfmt_module_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

// Bundles the CLI into dist/cli/binfmt.cjs (see src/cli/bin.ts for why).
// import.meta.url becomes the bundle's own URL; the bundle sits at the same
// depth (dist/cli/) as every source file (src/<area>/), so the relative paths
// to build/Release and binfmt/ still hold.
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

#!/usr/bin/env node
// The `binfmt` command. Shipped as CommonJS bundles made by esbuild
// (dist/cli/binfmt.cjs, and one per command that it requires when that
// command runs: scripts/bundle.mjs): Node 20 starts a single CJS file much
// faster than a tree of ES modules, and start-up is most of what a
// `binfmt list` costs.
import { main } from './main.js';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

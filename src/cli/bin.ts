#!/usr/bin/env node
// The `binfmt` command. Shipped as one CommonJS bundle (dist/cli/binfmt.cjs,
// made by esbuild): Node 20 starts a single CJS file much faster than a tree
// of ES modules, and start-up is most of what a `binfmt list` costs.
import { main } from './main.js';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

#!/usr/bin/env node
// The `binfmt` command. Shipped as CommonJS bundles made by esbuild
// (scripts/bundle.mjs): this launcher (dist/cli/binfmt.cjs), the CLI proper
// (dist/cli/program.cjs: src/cli/program.ts) and one bundle per command,
// dist/cli/commands/<name>.cjs, that the CLI requires when that command runs.
// Node 20 starts a single CJS file much faster than a tree of ES modules, and
// start-up is most of what a `binfmt list` costs. The launcher is small, as
// Node compiles it without a cache; it loads the other bundles with the code
// caches the build made of them (src/sys/code-cache.ts).
import { useCodeCaches } from '../sys/code-cache.js';

useCodeCaches();
// Node's require of this CommonJS file (bin.ts runs only as dist/cli/binfmt.cjs), through the .cjs loader now.
module.require('./program.cjs');

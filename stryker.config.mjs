// Mutation testing of the pure core and the ELF reader (`npm run mutate`).
// Only the tests that need no sandbox run (vitest.mutate.config.ts): a mutant
// survives unless a plain table test notices it. The report lands in
// reports/mutation/ (HTML) and the score on stdout.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['src/core/**/*.ts', 'src/elf/**/*.ts'],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: limits, tables, regexes) need the
  // whole suite per mutant, 80% of the time for 10% of the mutants; they are
  // left out of the score (reported as ignored).
  ignoreStatic: true,
  // Two shared cores: more runners only thrash.
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  // The sandbox Stryker copies the tree into keeps .cache/debs: Debian's
  // qemu-user-static and binfmt-support, which table tests compare against
  // (scripts/install-deps.sh unpacks them). Without them those tests would
  // be skipped; the mutation run refuses skips (vitest.mutate.config.ts).
  ignorePatterns: ['dist', '.cache/*', '!.cache/debs', 'reports', 'native/build'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

/**
 * The tests `npm run mutate` runs against every mutant of src/core and src/elf:
 * only those that need no sandbox, no root and no kernel change, so that a
 * mutation run is fast and a killed mutant means a plain table test caught it.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/elf/**/*.test.ts',
      'test/config/binfmtd-sources.test.ts',
      'test/config/shipped-loader-definitions.test.ts',
    ],
    // A skipped test kills no mutant: here a missing requirement fails the run (test/helpers/skip-gate.ts).
    env: { BINFMT_NO_SKIPS: '1' },
    testTimeout: 60_000,
    pool: 'forks',
    // Every file's TMPDIR below one of the run's own, removed at the end (test/helpers/mutate-setup.ts).
    globalSetup: ['./test/helpers/mutate-setup.ts'],
    setupFiles: ['./test/helpers/own-tmpdir.ts'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Every skipped test is accounted for: reports/skips.json; with
    // BINFMT_STRICT_SKIPS=1 (CI) a skip that is not a missing kernel feature fails.
    reporters: ['default', './test/helpers/skip-reporter.ts'],
  },
});

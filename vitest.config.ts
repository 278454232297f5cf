import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Each test file gets its own TMPDIR and must leave it empty; the suite
    // stops the podman pause process it started (test/helpers/suite-setup.ts).
    globalSetup: ['./test/helpers/suite-setup.ts'],
    setupFiles: ['./test/helpers/own-tmpdir.ts'],
    // Every skipped test is accounted for: reports/skips.json; with
    // BINFMT_STRICT_SKIPS=1 (CI) a skip that is not a missing kernel feature fails.
    reporters: ['default', './test/helpers/skip-reporter.ts'],
  },
});

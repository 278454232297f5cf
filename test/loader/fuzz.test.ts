/**
 * A short libFuzzer run of the loader's ELF validation (native/fuzz/run.sh;
 * the long run is `npm run fuzz -- SECONDS`, see docs/binfmt-loader.8.md).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import { needs, command } from '../helpers/skip-gate.js';

/** Seconds of fuzzing inside the test suite (the suite's budget allows ≤ 20). */
const SHORT_RUN_SECONDS = 12;

describe('fuzzing the ELF validation', needs(command('clang', '--version')), () => {
  it(`survives ${SHORT_RUN_SECONDS} s of libFuzzer with ASan and UBSan`, () => {
    const r = spawnSync('bash', [join(ROOT, 'native', 'fuzz', 'run.sh'), String(SHORT_RUN_SECONDS)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toMatch(/Done \d+ runs/);
    expect(r.stderr).not.toMatch(/ERROR: (AddressSanitizer|libFuzzer)|runtime error/);
    expect(r.status).toBe(0);
  }, 150_000);
});

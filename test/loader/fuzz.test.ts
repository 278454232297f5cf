/**
 * A short libFuzzer run of each of the loader's fuzz targets (native/fuzz/run.sh):
 * the ELF validation, stage 1's parsing of argv, envp and auxv, and stage 4's
 * rewriting of them. The long run is `npm run fuzz -- SECONDS` (or
 * `bash native/fuzz/run.sh --runs N TARGET`), see docs/binfmt-loader.8.md.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import { needs, command } from '../helpers/skip-gate.js';

/** Seconds of fuzzing per target inside the test suite (three targets; the suite's budget allows ≤ 20 in all). */
const SHORT_RUN_SECONDS = 5;

describe('fuzzing the loader', needs(command('clang', '--version')), () => {
  it.each(['elf-check', 'invocation', 'stack'])(
    `%s survives ${SHORT_RUN_SECONDS} s of libFuzzer with ASan and UBSan`,
    (target) => {
      const r = spawnSync('bash', [join(ROOT, 'native', 'fuzz', 'run.sh'), String(SHORT_RUN_SECONDS), target], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.stderr).toMatch(/Done \d+ runs/);
      expect(r.stderr).not.toMatch(/ERROR: (AddressSanitizer|libFuzzer)|runtime error/);
      expect(r.status).toBe(0);
    },
    150_000,
  );
});

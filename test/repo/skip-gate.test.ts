/**
 * The skip gate: a run whose only skips are missing kernel features passes;
 * a skip for anything else (a bare skip, a missing tool) fails it under
 * BINFMT_STRICT_SKIPS=1, as in CI, and every skip is listed with its reason.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';

const CASES = join(ROOT, 'test', 'fixtures', 'skip-gate');

function runCases(
  cases: string,
  strict: boolean,
): { status: number | null; report: { accepted: unknown[]; refused: { test: string; reason: string }[] } } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(CASES, 'vitest.config.ts')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, SKIP_GATE_CASES: cases, BINFMT_STRICT_SKIPS: strict ? '1' : '' },
    },
  );
  return { status: r.status, report: JSON.parse(readFileSync(join(CASES, 'reports', 'skips.json'), 'utf8')) };
}

describe('the skip gate', () => {
  it('accepts a skip for a missing kernel feature', () => {
    const r = runCases('kernel.case.ts', true);
    expect(r.report.accepted).toEqual([
      expect.objectContaining({ kernelFeature: 'userns-binfmt-misc', test: expect.stringContaining('lacks') }),
    ]);
    expect(r.report.refused).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('refuses any other skip, and fails the run only when strict', () => {
    const strict = runCases('*.case.ts', true);
    expect(strict.report.refused.map((s) => s.test).sort()).toEqual(['a bare skipIf', 'needs a tool']);
    expect(strict.report.refused.find((s) => s.test === 'needs a tool')!.reason).toBe('strace -V does not run');
    expect(strict.status).toBe(1);
    expect(runCases('*.case.ts', false).status).toBe(0);
  });
});

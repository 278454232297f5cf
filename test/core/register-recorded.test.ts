/**
 * parseRegister() against verdicts the kernel gave (Linux 6.18, a private
 * binfmt_misc instance): the first 1200 strings of the differential test's
 * corpus (the edge cases, then seeded generated strings), recorded with
 * `BINFMT_RECORD_VERDICTS=1 npx vitest run test/kernel/register-differential.test.ts`.
 * The live differential test asks the running kernel where a sandbox can be
 * made; this replay runs everywhere, so a slip in the parser fails without root.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/sandbox.js';
import { verdictMismatches, type KernelVerdict } from '../helpers/register-verdicts.js';

const recorded: { kernel: string; seed: number; rows: (KernelVerdict & { input: string })[] } = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'register-verdicts', 'verdicts.json'), 'utf8'),
);
const inputs = recorded.rows.map((r) => Uint8Array.from(Buffer.from(r.input, 'base64')));

describe(`parseRegister gives the verdicts Linux ${recorded.kernel} gave`, () => {
  it(`on ${inputs.length} recorded strings: errno, and the entry the kernel read back`, () => {
    const { mismatches, accepted } = verdictMismatches(inputs, recorded.rows);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(accepted).toBeGreaterThan(inputs.length / 5);
  });

  it('the recording reaches every errno the parser can give', () => {
    expect(new Set(recorded.rows.map((r) => r.errno))).toEqual(
      new Set([null, 'EINVAL', 'EEXIST', 'ENAMETOOLONG', 'ENOENT', 'EACCES']),
    );
  });
});

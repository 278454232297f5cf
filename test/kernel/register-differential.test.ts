/**
 * The kernel is the oracle: thousands of register strings go to a private
 * binfmt_misc instance, and parseRegister() must give the same verdict and
 * errno, and for accepted strings the same entry the kernel shows.
 * Seed: BINFMT_DIFF_SEED (default fixed), count: BINFMT_DIFF_COUNT.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { parseRegister } from '../../src/core/register-parse.js';
import { parseEntryText } from '../../src/core/entry-text.js';
import { entryDifferences } from '../../src/core/entry-diff.js';
import { formatRegister } from '../../src/core/register-format.js';
import type { Entry } from '../../src/core/entry.js';
import { openExecErrno } from '../../src/kernel/interpreter-probe.js';
import { sandboxedProgram, ROOT, MOUNT } from '../helpers/sandbox.js';
import { show, verdictMismatches, type KernelVerdict } from '../helpers/register-verdicts.js';
import { EDGE_CASES, generated } from './register-strings.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

const SEED = Number(process.env.BINFMT_DIFF_SEED ?? 20261123);
const COUNT = Number(process.env.BINFMT_DIFF_COUNT ?? 4000);

function askKernel(inputs: Uint8Array[]): KernelVerdict[] {
  const stdin = inputs.map((i) => '=' + Buffer.from(i).toString('base64')).join('\n') + '\n';
  const runner = join(ROOT, 'test', 'kernel', 'register-runner.mjs');
  const r = sandboxedProgram([process.execPath, runner, MOUNT], { input: stdin, cwd: ROOT });
  if (r.status !== 0) throw new Error(`runner failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as KernelVerdict[];
}

/** BINFMT_RECORD_VERDICTS=1: keep the first RECORDED verdicts for test/core/register-recorded.test.ts. */
const RECORDED = 1200;
function recordVerdicts(inputs: Uint8Array[], verdicts: KernelVerdict[]): void {
  const rows = inputs
    .slice(0, RECORDED)
    .map((input, i) => ({ input: Buffer.from(input).toString('base64'), ...verdicts[i]! }));
  const out = { kernel: release(), seed: SEED, rows };
  writeFileSync(join(ROOT, 'test', 'fixtures', 'register-verdicts', 'verdicts.json'), `${JSON.stringify(out)}\n`);
}

describe('parseRegister agrees with the kernel', needs(sandbox()), () => {
  const inputs = [...EDGE_CASES, ...generated(COUNT, SEED)];
  const verdicts = askKernel(inputs);
  if (process.env.BINFMT_RECORD_VERDICTS) recordVerdicts(inputs, verdicts);

  it(`gives the kernel's verdict and errno for ${inputs.length} strings (seed ${SEED})`, () => {
    expect(verdicts).toHaveLength(inputs.length);
    const { mismatches, accepted } = verdictMismatches(inputs, verdicts);
    expect(mismatches.slice(0, 20)).toEqual([]);
    // The generator must reach both sides of the grammar, or the test proves little.
    expect(accepted).toBeGreaterThan(inputs.length / 5);
    expect(inputs.length - accepted).toBeGreaterThan(inputs.length / 5);
  });

  it('formats every accepted entry into a string the kernel reads back as the same entry', () => {
    const entries: Entry[] = [];
    for (const input of inputs) {
      const r = parseRegister(input, { openInterpreter: (p) => openExecErrno(p, ROOT) });
      if (r.ok && r.entry.name !== 'dup') entries.push(r.entry);
    }
    const formatted = entries.map((e) => new TextEncoder().encode(formatRegister(e)));
    const kernel = askKernel(formatted);
    const mismatches: string[] = [];
    entries.forEach((e, i) => {
      const k = kernel[i]!;
      const again = parseRegister(formatted[i]!);
      if (!again.ok) mismatches.push(`${show(formatted[i]!)}: we reject our own output`);
      else
        for (const d of entryDifferences(e, again.entry))
          mismatches.push(`${show(formatted[i]!)}: round trip ${d.field}`);
      if (k.errno !== null || k.text === undefined) mismatches.push(`${show(formatted[i]!)}: kernel ${k.errno}`);
      else
        for (const d of entryDifferences(e, parseEntryText(e.name, Buffer.from(k.text, 'base64').toString('utf8'))))
          mismatches.push(`${show(formatted[i]!)}: kernel ${d.field}`);
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(entries.length).toBeGreaterThan(500);
  });
});

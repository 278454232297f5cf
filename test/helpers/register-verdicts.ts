/**
 * The kernel's verdicts on register strings, and how parseRegister() is held
 * to them: test/kernel/register-differential.test.ts asks a private instance
 * live; test/core/register-recorded.test.ts replays verdicts recorded from it
 * (test/fixtures/register-verdicts/), so that the parser is checked without
 * root too.
 */
import { parseRegister } from '../../src/core/register-parse.js';
import { parseEntryText } from '../../src/core/entry-text.js';
import { entryDifferences } from '../../src/core/entry-diff.js';
import { openExecErrno } from '../../src/kernel/interpreter-probe.js';
import { ROOT } from './sandbox.js';

/** What the kernel did with one write: the errno, or the new entry's name and read-back text (base64). */
export interface KernelVerdict {
  errno: string | null;
  name?: string;
  text?: string;
  error?: string;
}

export const show = (b: Uint8Array): string => JSON.stringify(Buffer.from(b).toString('latin1'));

/**
 * Where parseRegister() differs from the kernel (an entry named "dup" exists,
 * as register-runner.mjs arranges; F opens interpreters relative to ROOT),
 * and how many strings both accepted.
 */
export function verdictMismatches(
  inputs: Uint8Array[],
  verdicts: KernelVerdict[],
): { mismatches: string[]; accepted: number } {
  const mismatches: string[] = [];
  let accepted = 0;
  inputs.forEach((input, i) => {
    const k = verdicts[i]!;
    const ours = parseRegister(input, { exists: (n) => n === 'dup', openInterpreter: (p) => openExecErrno(p, ROOT) });
    const ourErrno = ours.ok ? null : ours.errno;
    if (k.error) mismatches.push(`${show(input)}: runner: ${k.error}`);
    else if (ourErrno !== k.errno) {
      const why = ours.ok ? '' : ours.diagnostics[0]?.message;
      mismatches.push(`${show(input)}: kernel ${k.errno ?? 'accepts'}, we ${ourErrno ?? 'accept'} ${why}`);
    } else if (ours.ok && k.name !== undefined && k.text !== undefined) {
      accepted++;
      const name = Buffer.from(k.name, 'base64').toString('utf8');
      const kernelEntry = parseEntryText(name, Buffer.from(k.text, 'base64').toString('utf8'));
      if (name !== ours.entry.name)
        mismatches.push(`${show(input)}: name: kernel ${JSON.stringify(name)}, we ${JSON.stringify(ours.entry.name)}`);
      for (const d of entryDifferences(ours.entry, kernelEntry))
        mismatches.push(`${show(input)}: ${d.field}: ours ${d.a}, kernel ${d.b}`);
    }
  });
  return { mismatches, accepted };
}

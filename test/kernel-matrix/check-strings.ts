/**
 * The register-string differential for one booted kernel: the kernel's verdict,
 * errno and read-back for every string (lines "s E ERRNO" / "s A NAME TEXT" from
 * guest/regtest.c) against parseRegister() with that kernel's rules.
 */
import { parseRegister } from '../../src/core/register-parse.js';
import { parseEntryText } from '../../src/core/entry-text.js';
import { entryDifferences } from '../../src/core/entry-diff.js';
import type { KernelVersion } from '../../src/core/kernel-version.js';

export interface StringsResult {
  total: number;
  agreed: number;
  accepted: number;
  mismatches: string[];
}

const show = (b: Uint8Array): string => JSON.stringify(Buffer.from(b).toString('latin1'));

export function checkStrings(
  inputs: Uint8Array[],
  lines: string[],
  kernel: KernelVersion,
  openErrno: (p: string) => string | null,
): StringsResult {
  const results = lines.filter((l) => l.startsWith('s ')).map((l) => l.slice(2));
  const mismatches: string[] = [];
  let agreed = 0;
  let accepted = 0;
  if (results.length !== inputs.length)
    mismatches.push(`the kernel answered ${results.length} of ${inputs.length} strings`);
  inputs.forEach((input, i) => {
    const k = results[i];
    if (k === undefined) return;
    const [kind, a, b] = k.split(' ');
    const ours = parseRegister(input, { exists: (n) => n === 'dup', openInterpreter: openErrno, kernel });
    const ourErrno = ours.ok ? null : ours.errno;
    const kernelErrno = kind === 'E' ? a! : kind === 'A' ? null : `runner: ${k}`;
    if (ourErrno !== kernelErrno) {
      mismatches.push(
        `${show(input)}: kernel ${kernelErrno ?? 'accepts'}, we ${ourErrno ?? 'accept'}${ours.ok ? '' : ` (${ours.diagnostics[0]?.code})`}`,
      );
      return;
    }
    if (ours.ok && kind === 'A') {
      accepted++;
      const name = Buffer.from(a!, 'hex').toString('utf8');
      const diffs = entryDifferences(
        ours.entry,
        parseEntryText(name, Buffer.from(b ?? '', 'hex').toString('utf8')),
      ).map((d) => `${d.field}: ours ${d.a}, kernel ${d.b}`);
      if (name !== ours.entry.name)
        diffs.push(`name: ours ${JSON.stringify(ours.entry.name)}, kernel ${JSON.stringify(name)}`);
      if (diffs.length > 0) {
        mismatches.push(...diffs.map((d) => `${show(input)}: read-back ${d}`));
        return;
      }
    }
    agreed++;
  });
  return { total: inputs.length, agreed, accepted, mismatches };
}

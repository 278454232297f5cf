/**
 * `binfmt validate`: offline. For each register string, the kernel's verdict
 * (valid, errno) and every diagnostic, the safety guards included (as
 * warnings: validate judges what the kernel accepts; register refuses them).
 * Inputs: LINE arguments, --stdin (one string per line), --file FILE (binfmt.d).
 */
import { readFileSync } from 'node:fs';
import { BinfmtError } from '../../core/binfmt-error.js';
import type { Diagnostic } from '../../core/diagnostic.js';
import { ruleLines } from '../../core/binfmtd-merge.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { checkRegisterLine } from '../../ops/check-line.js';
import { diagnosticLine } from '../render/diagnostics.js';
import { result, type Runner } from '../output.js';

interface Input {
  input: string;
  source: string | null;
}

interface Verdict {
  input: string;
  source: string | null;
  valid: boolean;
  errno: string | null;
  diagnostics: Pick<Diagnostic, 'severity' | 'code' | 'message' | 'field' | 'column'>[];
}

function gather(args: unknown[], o: Record<string, unknown>): Input[] {
  const inputs: Input[] = (args[0] as string[]).map((input) => ({ input, source: null }));
  if (o.stdin) {
    const text = readFileSync(0, 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((input, i) => inputs.push({ input, source: `<stdin>:${i + 1}` }));
  }
  for (const file of (o.file as string[] | undefined) ?? []) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (e) {
      throw new BinfmtError((e as NodeJS.ErrnoException).code ?? 'EIO', `validate: cannot read ${file}: ${(e as Error).message}`, 'file');
    }
    for (const r of ruleLines(file, content)) inputs.push({ input: r.text, source: `${file}:${r.line}` });
  }
  if (inputs.length === 0) throw new BinfmtError('EUSAGE', 'validate: give register strings as arguments, --stdin or --file FILE', 'input');
  return inputs;
}

export const run: Runner = async (args, opts) => {
  const inputs = gather(args, opts);
  const kernel = opts.mount ? new BinfmtMisc(opts.mount) : null;
  const verdicts: Verdict[] = inputs.map(({ input, source }) => {
    const r = checkRegisterLine(input, kernel);
    // validate judges what the kernel accepts: a guard's refusal is a warning here
    const demote = (g: Diagnostic): Diagnostic => {
      return { ...g, severity: 'warning', message: `${g.message} (register refuses this without --force)` };
    };
    const guards = r.guards.map((g) => (g.severity === 'error' ? demote(g) : g));
    return { input, source, valid: r.ok, errno: r.ok ? null : r.errno, diagnostics: [...r.diagnostics, ...guards] };
  });
  const text = verdicts
    .map((v) => {
      const head = `${v.source ? `${v.source}: ` : ''}${v.valid ? 'valid' : `invalid (${v.errno})`}: ${JSON.stringify(v.input)}`;
      return [head, ...v.diagnostics.map((d) => '  ' + diagnosticLine(d))].join('\n');
    })
    .join('\n');
  return result(verdicts, text, verdicts.every((v) => v.valid) ? 0 : 1);
};

/**
 * `binfmt validate`: offline. For each register string, the verdict of a given
 * kernel (--kernel; default the running one): valid, the errno, or unknown
 * where a rule's state for that kernel is not known; and every diagnostic,
 * the safety guards included (as warnings: validate judges what the kernel
 * accepts; register refuses them). Inputs are bytes: LINE arguments (read
 * from /proc/self/cmdline), --stdin (one string per line, or per NUL with -z),
 * --file FILE (binfmt.d).
 */
import { BinfmtError } from '../../core/binfmt-error.js';
import type { Diagnostic } from '../../core/diagnostic.js';
import { ruleLines } from '../../core/binfmtd-merge.js';
import {
  compareKernel,
  formatKernel,
  implausibleKernel,
  NEWEST_CHECKED_KERNEL,
  parseKernelVersion,
  type KernelVersion,
} from '../../core/kernel-version.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { runningKernel } from '../../kernel/running-kernel.js';
import { checkRegisterLine } from '../../ops/check-line.js';
import { diagnosticLine } from '../render/problem.js';
import { shownInput } from '../render/shown-input.js';
import { result, type Runner } from '../output.js';
import type { validate } from '../syntax/validate.js';
import { rawValues } from '../raw-argv.js';
import { MAX_TEXT_BYTES, readText, readToEnd, TEXT_NOUN } from '../../sys/bounded-read.js';

type Options = Parameters<Runner<typeof validate>>[1];

interface Input {
  bytes: Uint8Array;
  source: string | null;
}

interface Verdict {
  input: string;
  /** Only when the input is not UTF-8: its bytes in hex. */
  inputHex?: string;
  source: string | null;
  /** null: unknown for this kernel (a rule whose state for it was never seen). */
  valid: boolean | null;
  errno: string | null;
  diagnostics: Pick<Diagnostic, 'severity' | 'code' | 'message' | 'field' | 'column'>[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The input as text: UTF-8 when it is, else every byte above 0x7f as \xHH. */
function display(b: Uint8Array): { text: string; hex?: string } {
  try {
    return { text: utf8.decode(b) };
  } catch {
    const text = [...b]
      .map((c) => (c < 0x80 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`))
      .join('');
    return { text, hex: Buffer.from(b).toString('hex') };
  }
}

function splitRecords(data: Uint8Array, sep: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === sep) {
      out.push(data.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < data.length) out.push(data.subarray(start));
  return out;
}

function gather(lines: string[], o: Options): Input[] {
  const inputs: Input[] = rawValues(lines).map((bytes) => ({ bytes, source: null }));
  if (o.null && !o.stdin) throw new BinfmtError('EUSAGE', 'validate: -z (--null) applies to --stdin', 'null');
  if (o.stdin) {
    const records = splitRecords(
      readToEnd(0, '<stdin>', '--stdin', MAX_TEXT_BYTES, TEXT_NOUN, false),
      o.null ? 0 : 0x0a,
    );
    records.forEach((bytes, i) => inputs.push({ bytes, source: `<stdin>:${i + 1}` }));
  }
  for (const file of o.file ?? []) {
    const content = readText(file, 'file', 'utf8', 'validate: ');
    for (const r of ruleLines(file, content))
      inputs.push({ bytes: new TextEncoder().encode(r.text), source: `${file}:${r.line}` });
  }
  if (inputs.length === 0)
    throw new BinfmtError('EUSAGE', 'validate: give register strings as arguments, --stdin or --file FILE', 'input');
  return inputs;
}

function kernelOf(o: Options, warnings: string[]): KernelVersion | undefined {
  if (o.kernel === undefined) return runningKernel();
  const k = parseKernelVersion(o.kernel);
  if (!k.ok) throw new BinfmtError('EUSAGE', `validate: --kernel: ${k.reason}`, 'kernel');
  const implausible = implausibleKernel(k.version, o.kernel);
  if (implausible) throw new BinfmtError('EUSAGE', `validate: --kernel: ${implausible}`, 'kernel');
  if (compareKernel(k.version, NEWEST_CHECKED_KERNEL) > 0)
    warnings.push(
      `validate: --kernel ${o.kernel} is newer than any kernel binfmt was checked on (${formatKernel(NEWEST_CHECKED_KERNEL)}): judged by the newest rules known`,
    );
  return k.version;
}

export const run: Runner<typeof validate> = async ([lines], opts) => {
  const inputs = gather(lines, opts);
  const warnings: string[] = [];
  const kernelVersion = kernelOf(opts, warnings);
  const instance = opts.mount ? new BinfmtMisc(opts.mount) : null;
  const verdicts: Verdict[] = inputs.map(({ bytes, source }) => {
    const r = checkRegisterLine(bytes, instance, kernelVersion);
    // validate judges what the kernel accepts: a guard's refusal is a warning here
    const guards = r.guards.map((g): Diagnostic =>
      g.severity === 'error'
        ? { ...g, severity: 'warning', message: `${g.message} (register refuses this without --force)` }
        : g,
    );
    const diagnostics: Diagnostic[] = [...r.diagnostics, ...guards];
    const unknown = r.ok && r.diagnostics.some((d) => d.code === 'kernel-rule-unknown');
    const shown = display(bytes);
    return {
      input: shown.text,
      ...(shown.hex ? { inputHex: shown.hex } : {}),
      source,
      valid: unknown ? null : r.ok,
      errno: r.ok ? null : r.errno,
      diagnostics,
    };
  });
  const text = verdicts
    .map((v) => {
      const verdict = v.valid === null ? 'unknown for this kernel' : v.valid ? 'valid' : `invalid (${v.errno})`;
      const head = `${v.source ? `${v.source}: ` : ''}${verdict}: ${shownInput(v.input)}`;
      return [head, ...v.diagnostics.map((d) => '  ' + diagnosticLine(d))].join('\n');
    })
    .join('\n');
  return result(verdicts, text, verdicts.every((v) => v.valid === true) ? 0 : 1, warnings);
};

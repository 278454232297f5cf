/**
 * Debian binfmt-support's format files (update-binfmts(8), binfmt-support
 * 2.2.2), as pure functions, both kinds:
 * - import files (/usr/share/binfmts/NAME): "key value" lines with keys
 *   package, interpreter, magic, offset, mask, extension, detector,
 *   credentials, preserve, fix_binary;
 * - admin database files (/var/lib/binfmts/NAME): ten positional lines:
 *   package, "magic"|"extension", offset, magic-or-extension, mask,
 *   interpreter, detector, credentials, preserve, fix_binary.
 * The entry name is the file name. update-binfmts registers
 * ":NAME:M|E:offset:magic:mask:interpreter:flags" with ':' as delimiter,
 * credentials → OC, preserve → P, fix_binary → F (checked against the real
 * update-binfmts in a private instance: test/ops/interop.test.ts).
 */
import type { Entry } from './entry.js';
import { escapeHex } from './hex-escape.js';
import { parseRegister } from './register-parse.js';
import type { ConfigProblem } from './config-entries.js';

export const BINFMT_SUPPORT_KEYS = [
  'package',
  'interpreter',
  'magic',
  'offset',
  'mask',
  'extension',
  'detector',
  'credentials',
  'preserve',
  'fix_binary',
] as const;
type Key = (typeof BINFMT_SUPPORT_KEYS)[number];

/** Positional order of the admin database files. */
const ADMIN_ORDER: readonly (Key | 'type')[] = [
  'package',
  'type',
  'offset',
  'magic',
  'mask',
  'interpreter',
  'detector',
  'credentials',
  'preserve',
  'fix_binary',
];

export interface BinfmtSupportFormat {
  name: string;
  fields: Partial<Record<Key, string>>;
  /** line number of each key, for messages */
  lines: Partial<Record<Key, number>>;
}

export interface ImportedEntry {
  entry: Entry;
  source: string;
  /** Fields the target cannot hold, dropped with a reason. */
  lost: string[];
  package: string | null;
}

function isAdminFile(lines: string[]): boolean {
  return (
    lines.length >= 6 &&
    (lines[1] === 'magic' || lines[1] === 'extension') &&
    !/^(package|interpreter)\s/.test(lines[0]!)
  );
}

export function parseBinfmtSupport(
  name: string,
  file: string,
  text: string,
): { format: BinfmtSupportFormat; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const fields: BinfmtSupportFormat['fields'] = {};
  const lineOf: BinfmtSupportFormat['lines'] = {};
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (isAdminFile(lines)) {
    ADMIN_ORDER.forEach((k, i) => {
      const v = lines[i] ?? '';
      if (k === 'type') return;
      if (k === 'magic' && lines[1] === 'extension') {
        fields.extension = v;
        lineOf.extension = i + 1;
      } else if (v !== '') {
        fields[k] = v;
        lineOf[k] = i + 1;
      }
    });
    return { format: { name, fields, lines: lineOf }, problems };
  }
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    const key = (m ? m[1] : line) as Key;
    if (!BINFMT_SUPPORT_KEYS.includes(key)) {
      problems.push({
        source: `${file}:${i + 1}`,
        severity: 'warning',
        code: 'binfmts-unknown-key',
        message: `unknown key '${key}', ignoring`,
      });
      return;
    }
    fields[key] = m ? m[2]! : '';
    lineOf[key] = i + 1;
  });
  return { format: { name, fields, lines: lineOf }, problems };
}

function yes(v: string | undefined): boolean {
  return v === 'yes';
}

/** The entry a format file stands for, as update-binfmts would register it; problems carry file:line. */
export function binfmtSupportEntry(
  f: BinfmtSupportFormat,
  file: string,
): { imported: ImportedEntry | null; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const at = (k: Key): string => `${file}:${f.lines[k] ?? 1}`;
  const v = f.fields;
  if (!v.interpreter) {
    problems.push({
      source: file,
      severity: 'error',
      code: 'binfmts-no-interpreter',
      message: `no interpreter line; the format cannot be registered, ignoring`,
    });
    return { imported: null, problems };
  }
  if ((v.magic === undefined) === (v.extension === undefined)) {
    problems.push({
      source: file,
      severity: 'error',
      code: 'binfmts-magic-or-extension',
      message: 'needs exactly one of magic and extension, ignoring',
    });
    return { imported: null, problems };
  }
  for (const k of ['credentials', 'preserve', 'fix_binary'] as const) {
    if (v[k] !== undefined && v[k] !== 'yes' && v[k] !== 'no')
      problems.push({
        source: at(k),
        severity: 'error',
        code: 'binfmts-yes-no',
        message: `${k} must be yes or no, not '${v[k]}'`,
      });
  }
  const flags = `${yes(v.credentials) ? 'OC' : ''}${yes(v.preserve) ? 'P' : ''}${yes(v.fix_binary) ? 'F' : ''}`;
  const line =
    v.magic !== undefined
      ? `:${f.name}:M:${v.offset ?? ''}:${v.magic}:${v.mask ?? ''}:${v.interpreter}:${flags}`
      : `:${f.name}:E::${v.extension}::${v.interpreter}:${flags}`;
  const r = parseRegister(line);
  for (const d of r.diagnostics) {
    const key = (
      d.field === 'interpreter' ||
      d.field === 'magic' ||
      d.field === 'mask' ||
      d.field === 'offset' ||
      d.field === 'extension'
        ? d.field
        : 'interpreter'
    ) as Key;
    // The column would be one of the register string built above, not of the file: left out.
    const problem: ConfigProblem = {
      source: at(key),
      severity: d.severity,
      code: d.code,
      field: d.field,
      message: d.message,
    };
    problems.push(d.severity === 'error' ? { ...problem, errno: r.ok ? 'EINVAL' : r.errno } : problem);
  }
  if (!r.ok) return { imported: null, problems };
  const lost: string[] = [];
  if (v.detector)
    lost.push(
      `detector ${v.detector}: a binfmt.d entry runs the interpreter directly (update-binfmts would go through run-detectors)`,
    );
  return { imported: { entry: r.entry, source: file, lost, package: v.package ?? null }, problems };
}

/** An import-format file for an entry, and what the format cannot hold. */
export function formatBinfmtSupport(e: Entry, pkg = 'binfmt'): { text: string; lost: string[] } {
  const lost: string[] = [];
  const out = [`package ${pkg}`, `interpreter ${e.interpreter}`];
  if (/^\s|\s$|\n/.test(e.interpreter))
    lost.push(
      `interpreter '${e.interpreter}': leading or trailing white space or a newline cannot be kept in a "key value" line`,
    );
  if (e.type === 'magic') {
    out.push(`magic ${escapeHex(e.magic, ':')}`);
    if (e.offset) out.push(`offset ${e.offset}`);
    if (e.mask) out.push(`mask ${escapeHex(e.mask, ':')}`);
  } else {
    out.push(`extension ${e.extension}`);
  }
  if (e.flags.includes('C')) out.push('credentials yes');
  else if (e.flags.includes('O')) lost.push('flag O without C: binfmt-support only has credentials (OC)');
  if (e.flags.includes('P')) out.push('preserve yes');
  if (e.flags.includes('F')) out.push('fix_binary yes');
  if (e.enabled === false) lost.push('disabled: update-binfmts registers formats enabled');
  return { text: out.join('\n') + '\n', lost };
}

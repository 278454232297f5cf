/**
 * From binfmt.d rule lines to the entries they ask for, in registration
 * order, as systemd-binfmt would register them:
 * - each line is written with "\n" appended (write_string_file), so it is
 *   parsed that way, with the kernel's own rules (parseRegister);
 * - a line the kernel would refuse is reported with file:line and skipped;
 *   the others still apply;
 * - a name defined twice: systemd deletes and re-adds, so the last definition
 *   wins and takes the last position; the earlier one is reported.
 */
import type { ConfigLine } from './binfmtd-merge.js';
import type { Entry } from './entry.js';
import type { KernelVersion } from './kernel-version.js';
import { parseRegister } from './register-parse.js';
import type { DesiredItem } from './reconcile-plan.js';

export interface ConfigProblem {
  /** "file" or "file:line". */
  where: string;
  severity: 'error' | 'warning';
  message: string;
}

export function lineBytesOf(line: ConfigLine): Uint8Array {
  // Lines are latin1 text (one char per byte: see src/config/binfmtd-sources.ts).
  const out = new Uint8Array(line.text.length + 1);
  for (let i = 0; i < line.text.length; i++) out[i] = line.text.charCodeAt(i) & 0xff;
  out[line.text.length] = 0x0a;
  return out;
}

/** `kernel`: whose rules judge the lines (the running kernel's, for apply); default the newest's. */
export function configEntries(
  lines: ConfigLine[],
  kernel?: KernelVersion,
): { desired: DesiredItem<Entry>[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const byName = new Map<string, DesiredItem<Entry>>();
  for (const line of lines) {
    const where = `${line.file}:${line.line}`;
    const r = parseRegister(lineBytesOf(line), { kernel });
    for (const d of r.diagnostics) {
      const col = d.column === null ? '' : ` (column ${d.column})`;
      problems.push({
        where,
        severity: d.severity,
        message: `${d.message}${col}${d.severity === 'error' ? `; the kernel would refuse it (${r.ok ? 'EINVAL' : r.errno}), ignoring` : ''}`,
      });
    }
    if (!r.ok) continue;
    const earlier = byName.get(r.entry.name);
    if (earlier) {
      problems.push({
        where: earlier.source,
        severity: 'warning',
        message: `'${r.entry.name}' is defined again at ${where}; the later definition wins, ignoring this one`,
      });
      byName.delete(r.entry.name);
    }
    byName.set(r.entry.name, { name: r.entry.name, def: r.entry, source: where });
  }
  return { desired: [...byName.values()], problems };
}

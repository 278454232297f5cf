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
import type { Problem } from './problem.js';
import { parseRegister } from './register-parse.js';
import type { DesiredItem } from './reconcile-plan.js';

/** A problem in configuration: a Problem with its `source`, "file" or "file:line". */
export interface ConfigProblem extends Problem {
  severity: 'error' | 'warning';
  source: string;
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
      // An error: the kernel refuses the line with this errno, and it is skipped.
      problems.push(
        d.severity === 'error' ? { source: where, ...d, errno: r.ok ? 'EINVAL' : r.errno } : { source: where, ...d },
      );
    }
    if (!r.ok) continue;
    const earlier = byName.get(r.entry.name);
    if (earlier) {
      problems.push({
        source: earlier.source,
        severity: 'warning',
        code: 'config-redefined',
        message: `'${r.entry.name}' is defined again at ${where}; the later definition wins, ignoring this one`,
      });
      byName.delete(r.entry.name);
    }
    byName.set(r.entry.name, { name: r.entry.name, def: r.entry, source: where });
  }
  return { desired: [...byName.values()], problems };
}

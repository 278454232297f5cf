/**
 * import and export: entries from update-binfmts format files, binfmt.d
 * files or the live kernel; out as binfmt.d files, binfmt-support format
 * files or JSON. Each conversion says what the target format cannot hold.
 */
import { readdirSync, statSync } from 'node:fs';
import { fileError, readText } from '../sys/bounded-read.js';
import { basename, join } from 'node:path';
import type { Entry } from '../core/entry.js';
import { formatRegister } from '../core/register-format.js';
import { chooseConfFiles, ruleLines } from '../core/binfmtd-merge.js';
import { configEntries, type ConfigProblem } from '../core/config-entries.js';
import {
  binfmtSupportEntry,
  formatBinfmtSupport,
  parseBinfmtSupport,
  type ImportedEntry,
} from '../core/binfmt-support-format.js';
import { openInstance } from '../kernel/instance.js';
import { writeFileAtomic } from '../sys/atomic-write.js';

export interface Imported {
  entries: ImportedEntry[];
  problems: ConfigProblem[];
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (e) {
    throw fileError(e, path, 'from');
  }
}

/** update-binfmts format files: a directory of them (import dir or admin dir), or one file. */
export function importBinfmtSupport(path: string): Imported {
  const files = isDir(path)
    ? readdirSync(path)
        .filter((n) => !n.startsWith('.'))
        .sort()
        .map((n) => join(path, n))
        .filter((f) => statSync(f).isFile())
    : [path];
  const out: Imported = { entries: [], problems: [] };
  for (const file of files) {
    const parsed = parseBinfmtSupport(basename(file), file, readText(file, 'from', 'latin1'));
    const { imported, problems } = binfmtSupportEntry(parsed.format, file);
    out.problems.push(...parsed.problems, ...problems);
    if (imported) out.entries.push(imported);
  }
  return out;
}

/** A binfmt.d file, or the *.conf files of one directory in systemd's order. */
export function importSystemd(path: string): Imported {
  const files = isDir(path)
    ? chooseConfFiles([{ dir: path, names: readdirSync(path) }]).map((f) => join(path, f.name))
    : [path];
  const lines = files.flatMap((f) => ruleLines(f, readText(f, 'from', 'latin1')));
  const { desired, problems } = configEntries(lines);
  return { entries: desired.map((d) => ({ entry: d.def, source: d.source, lost: [], package: null })), problems };
}

/** The live entries of a binfmt_misc mount, oldest first (so registering them in order keeps the match order). */
export function importProc(mount: string): Imported {
  const kernel = openInstance({ mount, attach: false }).kernel;
  const entries = kernel
    .list()
    .reverse()
    .map((e) => ({
      entry: e,
      source: `${kernel.mount}/${e.name}`,
      lost: e.enabled === false ? ['disabled: binfmt.d registers entries enabled'] : [],
      package: null,
    }));
  return { entries, problems: [] };
}

/** What a binfmt.d line cannot hold for this entry, or null. */
function binfmtdObstacle(e: Entry): string | null {
  if (/[\n\r\0]/.test(e.name + e.interpreter + (e.type === 'extension' ? e.extension : '')))
    return 'a newline, carriage return or NUL in a field cannot be written on a binfmt.d line';
  return null;
}

export interface Written {
  path: string;
  name: string;
  lost: string[];
}

/** One NAME.conf per entry in `dir`; a numeric prefix keeps the registration (match) order. */
export function writeBinfmtd(
  dir: string,
  entries: ImportedEntry[],
  dryRun = false,
): { written: Written[]; problems: ConfigProblem[] } {
  const written: Written[] = [];
  const problems: ConfigProblem[] = [];
  const width = String(entries.length).length;
  entries.forEach((imp, i) => {
    const e = imp.entry;
    const obstacle = binfmtdObstacle(e);
    if (obstacle)
      return void problems.push({
        source: imp.source,
        severity: 'error',
        code: 'binfmtd-unwritable',
        message: `'${e.name}': ${obstacle}, skipping`,
      });
    const path = join(dir, `${String(i + 1).padStart(Math.max(2, width), '0')}-${e.name}.conf`);
    const origin = `# Imported by binfmt from ${imp.source}${imp.package ? ` (package ${imp.package})` : ''}\n`;
    const lost = imp.lost.map((l) => `# not kept: ${l}\n`).join('');
    if (!dryRun) writeFileAtomic(path, `${origin}${lost}${formatRegister({ ...e, enabled: undefined })}\n`);
    written.push({ path, name: e.name, lost: imp.lost });
  });
  return { written, problems };
}

export function systemdText(entries: Entry[]): { text: string; lost: { name: string; reason: string }[] } {
  const lost: { name: string; reason: string }[] = [];
  const lines: string[] = [];
  for (const e of entries) {
    const obstacle = binfmtdObstacle(e);
    if (obstacle) {
      lost.push({ name: e.name, reason: `${obstacle}; left out` });
      continue;
    }
    if (e.enabled === false) lost.push({ name: e.name, reason: 'disabled: binfmt.d registers entries enabled' });
    lines.push(formatRegister({ ...e, enabled: undefined }));
  }
  return { text: lines.map((l) => l + '\n').join(''), lost };
}

export function writeBinfmtSupport(dir: string, entries: Entry[], dryRun = false): Written[] {
  return entries.map((e) => {
    const { text, lost } = formatBinfmtSupport(e);
    const path = join(dir, e.name);
    if (!dryRun) writeFileAtomic(path, text);
    return { path, name: e.name, lost };
  });
}

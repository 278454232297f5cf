/**
 * binfmt persist / unpersist: one binfmt.d file per entry,
 * /etc/binfmt.d/NAME.conf (below a config root), which systemd-binfmt
 * registers at boot. Written atomically (src/sys/atomic-write.ts): a crash
 * leaves the old file or the new one.
 */
import { existsSync } from 'node:fs';
import { readText } from '../sys/bounded-read.js';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import type { Entry } from '../core/entry.js';
import { formatRegister } from '../core/register-format.js';
import { configEntries } from '../core/config-entries.js';
import { readBinfmtd } from './binfmtd-sources.js';
import { removeFileDurably, writeFileAtomic } from '../sys/atomic-write.js';

/** The directory persist writes to: the administrator's, highest precedence (binfmt.d(5)). */
export const PERSIST_DIR = '/etc/binfmt.d';

function persistPath(configRoot: string, name: string): string {
  if (name.includes('/') || name === '' || name === '.' || name === '..') {
    throw new BinfmtError(
      'EINVAL',
      `'${name}' is not an entry name: a name is one plain file name (no '/'), as binfmt_misc shows it, not a path`,
      'name',
    );
  }
  if (name.startsWith('.')) {
    throw new BinfmtError(
      'EINVAL',
      `'${name}' starts with '.': systemd ignores hidden files, so ${name}.conf would never be read at boot; rename the entry`,
      'name',
    );
  }
  return join(configRoot, PERSIST_DIR, `${name}.conf`);
}

function persistContent(entry: Entry): string {
  return `# Written by binfmt persist: systemd-binfmt registers this at boot (binfmt.d(5)).\n${formatRegister({ ...entry, enabled: undefined })}\n`;
}

/** Other configuration lines that define the same name (they compete at boot: the later file wins). */
function otherDefinitions(configRoot: string, name: string, except: string): string[] {
  const cfg = readBinfmtd(configRoot);
  const lines = cfg.lines.filter((l) => l.file !== except);
  return configEntries(lines)
    .desired.filter((d) => d.name === name)
    .map((d) => d.source);
}

export interface PersistOutcome {
  path: string;
  content: string;
  /** The file already held exactly this. */
  unchanged: boolean;
  alsoDefinedIn: string[];
}

export function persist(configRoot: string, entry: Entry, dryRun = false): PersistOutcome {
  const path = persistPath(configRoot, entry.name);
  const content = persistContent(entry);
  const unchanged = existsSync(path) && readText(path, path) === content;
  if (!dryRun && !unchanged) writeFileAtomic(path, content);
  return { path, content, unchanged, alsoDefinedIn: otherDefinitions(configRoot, entry.name, path) };
}

export function unpersist(configRoot: string, name: string, dryRun = false): { path: string; alsoDefinedIn: string[] } {
  const path = persistPath(configRoot, name);
  if (!existsSync(path))
    throw new BinfmtError('ENOENT', `${path} does not exist: '${name}' is not persisted by binfmt`, 'name');
  if (!dryRun) removeFileDurably(path);
  return { path, alsoDefinedIn: otherDefinitions(configRoot, name, path) };
}

/**
 * Reads binfmt.d configuration the way systemd-binfmt does (the rules are in
 * src/core/binfmtd-merge.ts), optionally below another root directory (an
 * image, a test tree). Nothing here stops at the first problem: unreadable
 * files are reported with their path and skipped.
 */
import { readdirSync, readlinkSync, lstatSync } from 'node:fs';
import { readText } from '../sys/bounded-read.js';
import { join } from 'node:path';
import { BINFMTD_DIRS, chooseConfFiles, ruleLines, type ConfigLine } from '../core/binfmtd-merge.js';
import type { ConfigProblem } from '../core/config-entries.js';

export interface ConfFileReport {
  path: string;
  /** applied: read for rules; masked: empty or /dev/null, hiding the same name below. */
  status: 'applied' | 'masked' | 'unreadable';
  /** Same-named files in lower-precedence directories that this one hides. */
  overrides: string[];
}

export interface BinfmtdConfig {
  root: string;
  files: ConfFileReport[];
  /** Rule lines in the order systemd-binfmt applies them. */
  lines: ConfigLine[];
  problems: ConfigProblem[];
}

function under(root: string, dir: string): string {
  return root === '/' || root === '' ? dir : join(root, dir);
}

export function readBinfmtd(root = '/', dirs: readonly string[] = BINFMTD_DIRS): BinfmtdConfig {
  const problems: ConfigProblem[] = [];
  const listings = dirs.map((d) => {
    const dir = under(root, d);
    try {
      return { dir, names: readdirSync(dir) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        problems.push({
          source: dir,
          severity: 'error',
          code: 'config-unreadable',
          message: `cannot list: ${(e as Error).message}, ignoring`,
        });
      return { dir, names: [] };
    }
  });
  const files: ConfFileReport[] = [];
  const lines: ConfigLine[] = [];
  for (const f of chooseConfFiles(listings)) {
    const path = `${f.dir}/${f.name}`;
    let text: string;
    try {
      const st = lstatSync(path);
      const target = st.isSymbolicLink() ? readlinkSync(path) : null;
      if (target === '/dev/null') {
        files.push({ path, status: 'masked', overrides: f.overrides });
        continue;
      }
      // latin1: one char per byte, so raw magic bytes survive (lineBytesOf in core/config-entries).
      // Below another root, an absolute link points into that root (an image's own /usr/lib/...).
      text = readText(target?.startsWith('/') ? under(root, target) : path, path, 'latin1');
    } catch (e) {
      const why = (e as Error).message;
      problems.push({
        source: path,
        severity: 'error',
        code: 'config-unreadable',
        message: `cannot read: ${why.startsWith(`${path}: `) ? why.slice(path.length + 2) : why}, ignoring`,
      });
      files.push({ path, status: 'unreadable', overrides: f.overrides });
      continue;
    }
    if (text.length === 0) {
      files.push({ path, status: 'masked', overrides: f.overrides });
      continue;
    }
    files.push({ path, status: 'applied', overrides: f.overrides });
    lines.push(...ruleLines(path, text));
  }
  return { root, files, lines, problems };
}

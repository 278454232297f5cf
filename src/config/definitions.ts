/**
 * Finding a named definition for `binfmt register NAME`: the binfmt.d
 * directories in systemd's order of precedence, then the definitions shipped
 * with binfmt (binfmt/ in the package). In each directory NAME.conf is tried
 * first, then any *.conf with a rule of that name.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readText } from '../sys/bounded-read.js';
import { join } from 'node:path';
import { BinfmtError } from '../core/binfmt-error.js';
import { BINFMTD_DIRS, ruleLines, ruleName } from '../core/binfmtd-merge.js';
import { shippedDefinitionsDir } from '../sys/package-files.js';

export interface Definition {
  name: string;
  file: string;
  line: number;
  text: string;
}

function confFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.conf'))
    .sort();
  const own = `${name}.conf`;
  return [...all.filter((f) => f === own), ...all.filter((f) => f !== own)].map((f) => join(dir, f));
}

export function findDefinition(
  name: string,
  dirs: readonly string[] = [...BINFMTD_DIRS, shippedDefinitionsDir()],
): Definition {
  for (const dir of dirs) {
    for (const file of confFiles(dir, name)) {
      let content: string;
      try {
        content = readText(file, file);
      } catch (e) {
        // Missing or unreadable: the next file may define it. Too large or not a regular file: say so.
        if (e instanceof BinfmtError && (e.code === 'EFBIG' || e.code === 'EINVAL')) throw e;
        continue;
      }
      const rules = ruleLines(file, content);
      const hit = rules.find((r) => ruleName(r.text) === name);
      if (hit) return { name, file, line: hit.line, text: hit.text };
    }
  }
  throw new BinfmtError('ENOENT', `no definition named '${name}' in ${dirs.join(', ')}`, 'name');
}

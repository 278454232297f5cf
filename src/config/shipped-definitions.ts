/**
 * The definitions shipped with binfmt (binfmt/*.conf), each with a one-line
 * summary from its file's opening comment, for `binfmt register --help`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleLines, ruleName } from '../core/binfmtd-merge.js';
import { shippedDefinitionsDir } from '../sys/package-files.js';

export interface ShippedDefinition {
  name: string;
  /** The opening comment's first clause ("run SLUL programs"), and what the rule matches. */
  summary: string;
}

/** What a register line matches: an extension, or a magic. */
function matchOf(line: string): string {
  const type = line.split(line[0]!)[2];
  return type === 'E' ? `by extension .${line.split(line[0]!)[4]}` : 'by magic';
}

export function shippedDefinitions(dir = shippedDefinitionsDir()): ShippedDefinition[] {
  const out: ShippedDefinition[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.conf'))
    .sort()) {
    const content = readFileSync(join(dir, f), 'utf8');
    const comment = content
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .map((l) => l.replace(/^#\s?/, ''))
      .join(' ');
    for (const rule of ruleLines(join(dir, f), content)) {
      const name = ruleName(rule.text);
      if (!name) continue;
      const first = comment.replace(new RegExp(`^${name}:\\s*`), '').split(/ \(|[.;:](?:\s|$)/)[0]!;
      out.push({ name, summary: `${first.trim()}, ${matchOf(rule.text)}` });
    }
  }
  return out;
}

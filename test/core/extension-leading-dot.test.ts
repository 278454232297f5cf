import { describe, expect, it } from 'vitest';
import { parseRegister } from '../../src/core/register-parse.js';
import { lintEntry } from '../../src/core/entry-lint.js';

const lint = (line: string): string[] => {
  const r = parseRegister(line);
  if (!r.ok) throw new Error(`not accepted: ${line}`);
  return lintEntry(r.entry).map((d) => `${d.severity}:${d.code}:${d.message}`);
};

describe('an extension written with its dot', () => {
  it('is refused, with the spelling that works', () => {
    expect(lint(':j:E::.jar::/opt/i:')).toEqual([
      "error:extension-leading-dot:extension: '.jar' starts with '.', which the kernel keeps (it lists '..jar'), and the extension of a path never does: it can never match; write 'jar' (the kernel adds the '.')",
    ]);
    // Two dots: no single extension would do, so no fix is offered.
    expect(lint(':t:E::.tar.gz::/opt/i:')).toEqual([
      "error:extension-leading-dot:extension: '.tar.gz' starts with '.', which the kernel keeps (it lists '..tar.gz'), and the extension of a path never does: it can never match",
    ]);
  });

  it('leaves a plain extension alone', () => {
    expect(lint(':j:E::jar::/opt/i:')).toEqual([]);
  });
});

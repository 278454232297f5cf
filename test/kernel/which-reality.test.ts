/**
 * `binfmt which` against reality: in a sandbox, entries whose interpreters
 * say who they are; for each file and exec path, the entry `which` names
 * must be the one whose interpreter the kernel actually runs, with the argv
 * `which` predicts.
 */
import { describe, expect, it } from 'vitest';
import { sandboxedScript } from '../helpers/sandbox.js';
import { compiled } from '../helpers/fixtures.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

describe('which agrees with the kernel', needs(sandbox()), () => {
  it('names the entry and argv the kernel actually uses', () => {
    const r = sandboxedScript(new URL('which-reality.sh', import.meta.url), [], { env: { WHO: compiled('who') } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            file: string;
            which: { entry: string; argv: string[] };
            ran: { ran: string; argv: string[] };
          },
      );
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row.which.entry, row.file).toBe(row.ran.ran);
      // argv[0] is the registered interpreter path, as which says.
      expect(row.which.argv, row.file).toEqual(row.ran.argv);
    }
    // Cover the interesting choices, so a broken matcher cannot pass by luck.
    const chosen = Object.fromEntries(rows.map((x) => [x.file.replace(/.*\//, ''), x.ran.ran]));
    expect(chosen).toMatchObject({
      f1: 'alpha',
      f2: 'gamma',
      f3: 'gamma',
      f4: 'beta',
      'f5.bfe': 'ext',
      'f6.tar.gz': 'tgz',
      'link.bfe': 'ext',
    });
  });
});

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
    type Row = {
      file: string;
      chain?: boolean;
      which: { entry: string; argv: string[] | null; errno: string | null; chain: { interpreter: string }[] };
      ran: { ran?: string; argv?: string[]; errno?: string };
    };
    const all = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    const rows = all.filter((x) => !x.chain);
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row.which.entry, row.file).toBe(row.ran.ran);
      // argv[0] is the registered interpreter path, as which says.
      expect(row.which.argv, row.file).toEqual(row.ran.argv);
    }
    // The chain: which follows it as the kernel does, to the program that
    // runs and its argv, or to the errno the exec fails with.
    const chains = all.filter((x) => x.chain);
    expect(chains.map((x) => [x.file.replace(/.*\//, ''), x.ran.errno ?? x.ran.ran])).toEqual([
      ['c3', 'end'],
      ['c2', 'ELOOP'],
      ['c1', 'ELOOP'],
      ['c6', 'end'],
    ]);
    for (const row of chains) {
      expect(row.which.errno ?? null, row.file).toBe(row.ran.errno ?? null);
      expect(row.which.argv, row.file).toEqual(row.ran.argv ?? null);
    }
    // c3: five rewrites, each hop's path passed on: end gets [end, c7, c6, c5, c4, c3, a1].
    expect(chains[0]!.ran.argv!.map((a) => a.replace(/.*\//, ''))).toEqual(['end', 'c7', 'c6', 'c5', 'c4', 'c3', 'a1']);
    expect(chains[0]!.which.chain.map((h) => h.interpreter.replace(/.*\//, ''))).toEqual([
      'c4',
      'c5',
      'c6',
      'c7',
      'end',
    ]);
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

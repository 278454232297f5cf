/**
 * apply converges, as a property over generated binfmt.d trees, each applied
 * in a fresh sandbox (its own binfmt_misc; the ownership state in a temporary
 * directory). A tree has entries in /etc and /usr/lib (the same file name in
 * both: /etc overrides), masks (/dev/null links), bad lines, entries the
 * kernel refuses (F with a missing interpreter), entries that match the same
 * files (so their order matters), and entries registered by hand before apply
 * (someone else's: the same definition is adopted, another is a conflict).
 *
 * By default: after apply, a second apply carries out no kernel operation and
 * leaves the kernel as it was, and plan shows nothing to do but the entries
 * the kernel refuses. With --atomic the same when nothing is refused; when
 * something is, all or nothing: the refusal is foreseen, so neither run makes
 * a kernel operation (nothing done, nothing rolled back).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOUNT } from '../helpers/sandbox.js';
import { binfmt, dump, register, sandboxedSteps, write, type Step, type StepRun } from '../helpers/steps.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

/** Kept small: each run is a sandbox and five binfmt invocations (2 to 3 s). */
const RUNS = 15;

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const FILES = ['10-x.conf', '20-y.conf', '30-z.conf'];
const MISSING = '/nonexistent/interpreter';

/** A valid line: extensions and magics from small pools, so that entries often match the same files. */
const entryLine = fc
  .record({
    name: fc.constantFrom(...NAMES),
    match: fc.oneof(
      fc.constantFrom('x', 'y').map((ext) => `E::${ext}:`),
      // never ELF's magic: an entry matching node itself would run binfmt through /bin/sh
      fc.constantFrom('AB', 'ABC', '\\x41\\x42\\x44').map((magic) => `M::${magic}:`),
    ),
    interpreter: fc.constantFrom('/bin/sh', '/bin/true', MISSING),
    flags: fc.constantFrom('', 'P', 'F', 'PF'),
  })
  .map(({ name, match, interpreter, flags }) => `:${name}:${match}:${interpreter}:${flags}`);

/** Lines binfmt.d rejects before the kernel sees them (bad magic, offset, type, fields). */
const badLine = fc.constantFrom(
  ':bad1:M::\\xZZ::/bin/sh:',
  ':bad2:M:300:AB::/bin/sh:',
  ':bad3:Q::x::/bin/sh:',
  ':bad4:E::x:',
  ':bad5:M::AB:\\xff\\xff\\xff:/bin/sh:',
);

const confFile = fc.array(fc.oneof({ weight: 4, arbitrary: entryLine }, { weight: 1, arbitrary: badLine }), {
  minLength: 1,
  maxLength: 3,
});

/** A file in /etc/binfmt.d: lines, or a mask (a /dev/null link hiding /usr/lib's file of that name). */
const etcFile = fc.oneof({ weight: 3, arbitrary: confFile }, { weight: 1, arbitrary: fc.constant('mask' as const) });

const tree = fc.record({
  etc: fc.dictionary(fc.constantFrom(...FILES), etcFile, { maxKeys: 2 }),
  usr: fc.dictionary(fc.constantFrom(...FILES), confFile, { maxKeys: 3 }),
  // registered by hand before apply; the kernel may refuse some (F and a missing interpreter): no matter
  foreign: fc.array(entryLine, { maxLength: 2 }),
});
type Tree = typeof tree extends fc.Arbitrary<infer T> ? T : never;

function writeTree(t: Tree): string {
  const root = tempDir('converge-');
  for (const [dir, files] of [
    ['etc', t.etc],
    ['usr/lib', t.usr],
  ] as const) {
    const d = join(root, dir, 'binfmt.d');
    mkdirSync(d, { recursive: true });
    for (const [file, lines] of Object.entries(files)) {
      if (lines === 'mask') symlinkSync('/dev/null', join(d, file));
      else writeFileSync(join(d, file), lines.join('\n') + '\n');
    }
  }
  return root;
}

interface Planned {
  add: string[];
  change: string[];
  remove: string[];
  stale: string[];
  refused: { name: string }[];
  steps: { op: string; name: string }[];
  applied?: boolean;
  done?: string[];
  rolledBack?: string[];
}

const json = (r: StepRun): Planned => JSON.parse(r.stdout) as Planned;

/** Nothing to do but the refused entries (tried again each time, and refused again). */
function onlyRefusals(p: Planned): void {
  const refused = p.refused.map((x) => x.name);
  expect([...p.add, ...p.change].filter((n) => !refused.includes(n))).toEqual([]);
  expect([p.remove, p.stale]).toEqual([[], []]);
}

/** The steps of one mode: someone else's entries, apply twice with the kernel dumped around, plan. */
function modeSteps(root: string, t: Tree, atomic: boolean): Step[] {
  const state = join(root, atomic ? 'state-atomic' : 'state');
  const args = ['--config-root', root, '--state-dir', state, ...(atomic ? ['--atomic'] : [])];
  return [
    ...t.foreign.map((line) => register(line)),
    dump(),
    binfmt('apply', ...args, '--json'),
    dump(),
    binfmt('apply', ...args, '--json'),
    dump(),
    // plan has no --atomic: the same plan either way (and the second apply's own, as it changed nothing)
    ...(atomic ? [] : [binfmt('plan', '--config-root', root, '--state-dir', state, '--json')]),
    // clear the instance for the next mode (-1 to status removes every entry)
    write(`${MOUNT}/status`, '-1'),
  ];
}

function check(runs: StepRun[], atomic: boolean): void {
  const [before, first, afterFirst, second, afterSecond] = runs;
  const plan = atomic ? undefined : runs[5];
  const [r1, r2] = [json(first!), json(second!)];
  const context = `${atomic ? '--atomic' : 'apply'}: ${first!.stdout}\n${first!.stderr}`;
  // the second apply: no kernel operation, the kernel as the first left it
  expect(r2.done, context).toEqual([]);
  expect(afterSecond!.stdout, context).toBe(afterFirst!.stdout);
  if (atomic && r1.applied === false) {
    // all or nothing: only a refusal makes an atomic apply fail, and it leaves the kernel as it was
    expect(r1.refused.length, context).toBeGreaterThan(0);
    expect(r1.done, context).toEqual([]);
    expect([r1.rolledBack, r2.rolledBack], context).toEqual([[], []]);
    expect(afterFirst!.stdout, context).toBe(before!.stdout);
    return;
  }
  onlyRefusals(r2);
  if (plan) onlyRefusals(json(plan));
}

describe('apply converges (property over generated binfmt.d trees)', needs(sandbox()), () => {
  it(
    `a second apply, and plan, find nothing to do but the refused entries; also with --atomic (${RUNS} trees)`,
    { timeout: 240_000 },
    () => {
      fc.assert(
        fc.property(tree, (t) => {
          const root = writeTree(t);
          try {
            const each = modeSteps(root, t, false);
            const runs = sandboxedSteps([...each, ...modeSteps(root, t, true)]);
            const k = each.length - t.foreign.length;
            check(runs.slice(t.foreign.length, each.length), false);
            check(runs.slice(each.length + t.foreign.length, each.length + t.foreign.length + k), true);
          } finally {
            rmSync(root, { recursive: true, force: true });
          }
        }),
        { numRuns: RUNS },
      );
    },
  );
});

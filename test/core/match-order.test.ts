/**
 * Which entry runs, in the kernel's words: binfmt_misc keeps its entries in
 * one list, puts every registration at its head (list_add), and an exec runs
 * the first enabled entry of that list that matches. So the newest matching
 * entry wins, disabling one falls back to the next, and removing an entry and
 * registering it again makes it the newest. Each fact was observed in a
 * private binfmt_misc instance (Linux 6.18; test/kernel/which-reality.test.ts
 * checks `binfmt which` against the running kernel where a sandbox can be
 * made). Here a list that follows those rules stands in for the kernel, so
 * the match order, the shadowing rule and the plans of `apply` are checked
 * without root.
 */
import { describe, expect, it } from 'vitest';
import { entryMatches, execWindow, matchEntry, type ExecTarget } from '../../src/core/match.js';
import { entriesOverlap, entryShadows } from '../../src/core/entry-overlap.js';
import { entryFindings, type EntryFacts } from '../../src/core/doctor-findings.js';
import { planReconcile, type DesiredItem, type LiveItem } from '../../src/core/reconcile-plan.js';
import { kernelSteps, type KernelStep } from '../../src/core/kernel-steps.js';
import { entryDifferences } from '../../src/core/entry-diff.js';
import { parseRegister } from '../../src/core/register-parse.js';
import type { Entry } from '../../src/core/entry.js';

const entry = (line: string): Entry => {
  const r = parseRegister(line);
  if (!r.ok) throw new Error(`${line}: ${r.diagnostics[0]!.message}`);
  return { ...r.entry, enabled: true };
};
const file = (head: number[] | string, path = '/x'): ExecTarget => ({
  path,
  head: typeof head === 'string' ? new TextEncoder().encode(head) : Uint8Array.from(head),
});

/** A binfmt_misc instance reduced to what decides matching: the list, newest first. */
class Instance {
  list: Entry[] = [];
  register(name: string, def: Entry): void {
    if (this.list.some((e) => e.name === name)) throw new Error(`EEXIST: ${name}`);
    this.list.unshift({ ...def, name, enabled: true });
  }
  remove(name: string): void {
    const i = this.list.findIndex((e) => e.name === name);
    if (i < 0) throw new Error(`ENOENT: ${name}`);
    this.list.splice(i, 1);
  }
  enable(name: string, on: boolean): void {
    this.list.find((e) => e.name === name)!.enabled = on;
  }
  step(s: KernelStep<Entry>): void {
    if (s.op === 'register') this.register(s.name, s.def);
    else this.remove(s.name);
  }
  runs(target: ExecTarget): string | null {
    return matchEntry(this.list, target)?.name ?? null;
  }
}

describe('the newest matching entry runs (observed: first, second, third all match)', () => {
  const k = new Instance();
  const abc = file('ABC');
  k.register('first', entry(':first:M::AB::/1:'));
  k.register('second', entry(':second:M::AB::/2:'));
  k.register('third', entry(':third:M::AB::/3:'));

  it('third, the newest, runs', () => {
    expect(k.runs(abc)).toBe('third');
  });
  it('with third disabled, second runs; enabled again, third runs again', () => {
    k.enable('third', false);
    expect(k.runs(abc)).toBe('second');
    k.enable('third', true);
    expect(k.runs(abc)).toBe('third');
  });
  it('second removed and registered again is the newest and runs', () => {
    k.remove('second');
    k.register('second', entry(':second:M::AB::/2:'));
    expect(k.list.map((e) => e.name)).toEqual(['second', 'third', 'first']);
    expect(k.runs(abc)).toBe('second');
  });
  it('an entry that does not match is passed over, whatever its age', () => {
    k.register('other', entry(':other:M::XY::/o:'));
    expect(k.runs(abc)).toBe('second');
    expect(k.runs(file('XYZ'))).toBe('other');
    expect(k.runs(file('QQQ'))).toBeNull();
  });
});

describe('shadowing: the newer entry matches every file the older one matches', () => {
  // Observed: older magic 02 mask fe (matches 02 and 03), newer magic 02 without
  // a mask: a file starting with 03 runs older. The other way round, newer with
  // mask fe runs for both files and older never runs.
  it.each([
    [':n:M::\\x02::/2:', ':o:M::\\x02:\\xfe:/1:', false],
    [':n:M::\\x02:\\xfe:/2:', ':o:M::\\x02::/1:', true],
    [':n:M::\\x02:\\x0f:/2:', ':o:M::\\x12:\\xff:/1:', true],
    [':n:M::\\x02:\\xf0:/2:', ':o:M::\\x12:\\x0f:/1:', false],
    [':n:M::\\x00:\\x00:/2:', ':o:M::\\x12::/1:', true],
    [':n:M::\\x12:\\xff:/2:', ':o:M::\\x02:\\x00:/1:', false],
    [':n:M:1:\\x02::/2:', ':o:M::\\x01\\x02::/1:', true],
    [':n:M::\\x01\\x02::/2:', ':o:M:1:\\x02::/1:', false],
    [':n:M::\\x01\\x02:\\x00\\xff:/2:', ':o:M:1:\\x02::/1:', true],
    [':n:M:1:\\x02:\\x0f:/2:', ':o:M::\\x01\\x02:\\xff\\xf0:/1:', false],
  ])('newer %s, older %s: shadows = %s', (newer, older, shadows) => {
    const n = entry(newer);
    const o = entry(older);
    expect(entryShadows(n, o)).toBe(shadows);
    // The same verdict by brute force over the first two bytes of a file:
    // does any file exist for which the kernel runs the older entry?
    const window = execWindow(new Uint8Array(0));
    let olderRuns = false;
    for (let v = 0; v < 0x10000 && !olderRuns; v++) {
      window[0] = v >> 8;
      window[1] = v & 0xff;
      olderRuns = !entryMatches(n, file([]), window) && entryMatches(o, file([]), window);
    }
    expect(olderRuns).toBe(!shadows);
  });

  it('doctor reports the older entry as shadowed by the newer one, never the reverse', () => {
    const facts = (...lines: string[]): EntryFacts[] =>
      lines.map((l) => ({
        entry: entry(l),
        interpreterErrno: null,
        pin: null,
        lint: [],
        owned: true,
        configured: true,
      }));
    const shadowed = (f: EntryFacts[]): string[] =>
      entryFindings(f)
        .filter((x) => x.code === 'shadowed')
        .map((x) => x.subject);
    // Match order: newest first.
    expect(shadowed(facts(':broad:M::A::/b:', ':narrow:M::AB::/n:'))).toEqual(['narrow']);
    expect(shadowed(facts(':narrow:M::AB::/n:', ':broad:M::A::/b:'))).toEqual([]);
    const off = facts(':broad:M::A::/b:', ':narrow:M::AB::/n:');
    off[0]!.entry.enabled = false;
    expect(shadowed(off)).toEqual([]);
  });
});

describe('apply: the plan carried out on the kernel list gives the configured match order', () => {
  // Configured order is registration order: the entry configured last wins
  // among those that match a file.
  const defs: Record<string, Entry> = {
    a: entry(':a:M::A::/a:'),
    ab: entry(':ab:M::AB::/ab:'),
    abc: entry(':abc:M::ABC::/abc:'),
    x: entry(':x:M::X::/x:'),
    e: entry(':e:E::ab::/e:'),
  };
  const files = [
    file('ABC', '/f'),
    file('ABD', '/f'),
    file('AXX', '/f'),
    file('XYZ', '/f'),
    file('ABC', '/f.ab'),
    file('Q', '/q'),
  ];
  const same = (p: Entry, q: Entry): boolean => entryDifferences(p, q).length === 0;
  const changed = (e: Entry): Entry => ({ ...e, interpreter: `${e.interpreter}-new` });

  function permutations<T>(xs: T[]): T[][] {
    if (xs.length <= 1) return [xs];
    return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
  }

  const orders = permutations(['a', 'ab', 'abc', 'e']);
  const scenarios = (live: string[]): { want: string[]; redefine: string[] }[] => [
    ...orders.map((want) => ({ want, redefine: [] })),
    { want: ['abc', 'ab', 'a', 'x'], redefine: ['ab'] },
    { want: ['a', 'ab', 'abc'], redefine: ['a'] },
    { want: live, redefine: [live[0]!] },
  ];

  it.each(orders.map((o) => [o.join(' ')]))('kernel %s (oldest first), to every configured order', (order) => {
    const live = order.split(' ');
    for (const { want, redefine } of scenarios(live)) carryOut(live, want, redefine);
  });

  function carryOut(live: string[], want: string[], redefine: string[]): void {
    const k = new Instance();
    for (const n of live) k.register(n, defs[n]!);
    const desired: DesiredItem<Entry>[] = want.map((n, i) => ({
      name: n,
      def: redefine.includes(n) ? changed(defs[n]!) : defs[n]!,
      source: `t.conf:${i + 1}`,
    }));
    const liveItems: LiveItem<Entry>[] = [...k.list].reverse().map((e) => ({ name: e.name, def: e, owned: true }));
    const plan = planReconcile(desired, liveItems, { equal: same, overlaps: entriesOverlap, prune: true });
    const steps = kernelSteps(
      plan.actions,
      k.list.map((e) => e.name),
    );

    // What the configuration asks for: registered in configured order.
    const wanted = new Instance();
    for (const d of desired) wanted.register(d.name, d.def);
    const runner = (inst: Instance, t: ExecTarget): string | null => {
      const e = matchEntry(inst.list, t);
      return e ? `${e.name.replace(/\.binfmt-tmp.*/, '')}=${e.interpreter}` : null;
    };

    // Make-before-break: a file that has a handler before a step, and one in
    // the configured end state, keeps one through every step.
    const handled = files.map((t) => wanted.runs(t) !== null);
    for (const s of steps) {
      const before = files.map((t) => k.runs(t));
      k.step(s);
      files.forEach((t, i) => {
        if (before[i] !== null && handled[i]) expect(k.runs(t), `${want}: ${s.op} ${s.name}`).not.toBeNull();
      });
    }
    expect(
      files.map((t) => runner(k, t)),
      `configured ${want}`,
    ).toEqual(files.map((t) => runner(wanted, t)));
    expect(k.list.map((e) => e.name).sort()).toEqual([...want].sort());

    // A second plan on the result has nothing to do.
    const again = planReconcile(
      desired,
      [...k.list].reverse().map((e) => ({ name: e.name, def: e, owned: true })),
      {
        equal: same,
        overlaps: entriesOverlap,
        prune: true,
      },
    );
    expect(again.actions.filter((a) => a.kind !== 'unchanged')).toEqual([]);
  }
});

/**
 * binfmt_misc interpreter mode, in a private sandbox: the probe registered by
 * extension with flags none, P, O, PO, F, POF. Compared with a direct run in
 * the same sandbox, only the documented differences remain.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { exec, register, sandboxedSteps } from '../helpers/steps.js';
import { AT, LOADER, SELFEXEC_ENV, buildFixtures, comparable, fixture, parseProbe, type Probe } from './helpers.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const FLAGS = ['', 'P', 'O', 'PO', 'F', 'POF'];
const PROBES = ['probe', 'probe-static', 'probe-musl', 'probe-nopie'];

/** One sandbox: register every flag set, run every probe direct and through each. */
function runAll(): Map<string, Probe> {
  const d = tempDir('loader-binfmt-');
  for (const p of PROBES) symlinkSync(fixture(p), join(d, p));
  FLAGS.forEach((_, i) => PROBES.forEach((p) => symlinkSync(fixture(p), join(d, `${p}.bf${i}`))));
  const runs: [string, string][] = [
    ...PROBES.map((p): [string, string] => [`direct:${p}`, join(d, p)]),
    ...FLAGS.flatMap((_, i) => PROBES.map((p): [string, string] => [`${i}:${p}`, join(d, `${p}.bf${i}`)])),
  ];
  const steps = sandboxedSteps([
    ...FLAGS.map((f, i) => register(`:lt${i}:E::bf${i}::${LOADER}:${f}\n`)),
    ...runs.map(([, path]) => exec([path, 'one', 'two words'], { cwd: d, argv0: 'myname', env: { PROBE: 'yes' } })),
  ]).slice(FLAGS.length);
  const out = new Map<string, Probe>();
  runs.forEach(([tag], i) => {
    const step = steps[i]!;
    if (step.status !== 0) throw new Error(`${tag} failed (${step.status ?? step.signal}): ${step.stderr}`);
    out.set(tag, parseProbe(step.stdout));
  });
  return out;
}

describe('binfmt_misc interpreter mode (sandbox)', needs(sandbox()), () => {
  let results: Map<string, Probe>;
  beforeAll(() => {
    buildFixtures();
    results = runAll();
  });

  FLAGS.forEach((flags, i) => {
    for (const p of PROBES) {
      it(`flags '${flags}': ${p}`, () => {
        const d = results.get(`direct:${p}`)!;
        const c = results.get(`${i}:${p}`)!;
        expect(d, 'direct run').toBeDefined();
        expect(c, 'run through the loader').toBeDefined();
        // The path the kernel was given (absolute, as bash's exec -a makes it).
        const path = String(c.auxv.get(AT.EXECFN));
        expect(path).toMatch(new RegExp(`/${p}\\.bf${i}$`));
        // argv: with P the caller's argv[0] survives; without it the kernel has
        // already replaced it with the path (binfmt_misc.c remove_arg_zero).
        expect(c.argv).toEqual([flags.includes('P') ? 'myname' : path, 'one', 'two words']);
        expect(d.argv).toEqual(['myname', 'one', 'two words']);
        // The documented differences of interpreter mode:
        expect(c.exe).toBe(LOADER);
        expect(c.comm).toBe(`${p}.bf${i}`.slice(0, 15));
        expect(c.cmdline).toBe(`${LOADER} ${path} ${flags.includes('P') ? 'myname ' : ''}one two words `);
        expect(c.auxv.get(AT.FLAGS)).toBe(0);
        expect(c.env).toContain(`${SELFEXEC_ENV}=${path}`);
        expect(c.auxv.has(AT.EXECFD)).toBe(false);
        expect(c.auxv.has(AT.IGNORE)).toBe(flags.includes('O'));
        if (p !== 'probe-static') expect(c.auxv.get(AT.BASE)).toBe(0);
        // The AT_EXECFD descriptor never reaches the program.
        expect(c.fds).toEqual(d.fds);
        const skip = ['argv', 'exe', 'comm', 'cmdline', ...(p === 'probe-musl' ? ['misalign'] : [])];
        const skipAux = [AT.IGNORE, AT.EXECFN, AT.BASE];
        expect(comparable(c, skip, skipAux)).toEqual(comparable(d, skip, skipAux));
      });
    }
  });

  it('enters with a 16-byte aligned stack for every parity of argv and environment size (flags none, P, O)', () => {
    const d = tempDir('loader-parity-');
    const flags = ['', 'P', 'O'];
    flags.forEach((_, i) => {
      symlinkSync(fixture('probe'), join(d, `p.pa${i}`));
      symlinkSync(fixture('probe-static'), join(d, `s.pa${i}`));
    });
    const runs = ['p.pa0', 'p.pa1', 'p.pa2', 's.pa0', 's.pa1', 's.pa2'].flatMap((f) =>
      [[], ['1'], ['1', '2'], ['1', '2', '3']].flatMap((args) =>
        ([{}, { E1: 'v' }, { E1: 'v', E2: 'v' }] as Record<string, string>[]).map((env) =>
          exec([`./${f}`, ...args], { cwd: d, env }),
        ),
      ),
    );
    const r = sandboxedSteps([...flags.map((f, i) => register(`:par${i}:E::pa${i}::${LOADER}:${f}\n`)), ...runs]).slice(
      flags.length,
    );
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const lines = r.map((step) => /"misalign":[0-9]*/.exec(step.stdout)?.[0]);
    expect(lines).toHaveLength(6 * 4 * 3);
    expect(new Set(lines)).toEqual(new Set(['"misalign":0']));
  });
});

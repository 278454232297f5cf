/**
 * binfmt_misc interpreter mode, in a private sandbox: the probe registered by
 * extension with flags none, P, O, PO, F, POF. Compared with a direct run in
 * the same sandbox, only the documented differences remain.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sandboxed, MOUNT } from '../helpers/sandbox.js';
import { AT, LOADER, SELFEXEC_ENV, buildFixtures, comparable, fixture, parseProbe, type Probe } from './helpers.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

const FLAGS = ['', 'P', 'O', 'PO', 'F', 'POF'];
const PROBES = ['probe', 'probe-static', 'probe-musl', 'probe-nopie'];

/** One sandbox: register every flag set, run every probe direct and through each. */
function runAll(): Map<string, Probe> {
  const lines = [
    'set -e',
    'd=$(mktemp -d); cd "$d"',
    ...PROBES.map((p) => `ln -s ${fixture(p)} ${p}`),
    ...FLAGS.map((f, i) => `echo ':lt${i}:E::bf${i}::${LOADER}:${f}' > ${MOUNT}/register`),
    ...FLAGS.flatMap((_, i) => PROBES.map((p) => `ln -s ${fixture(p)} ${p}.bf${i}`)),
    'run() { tag=$1; shift; printf "%s\\t" "$tag"; env -i PROBE=yes bash -c "exec -a myname $1 one \'two words\'"; }',
    ...PROBES.map((p) => `run direct:${p} ./${p}`),
    ...FLAGS.flatMap((_, i) => PROBES.map((p) => `run ${i}:${p} ./${p}.bf${i}`)),
  ];
  const r = sandboxed(lines.join('\n'));
  if (r.status !== 0) throw new Error(`sandbox script failed (${r.status}): ${r.stderr}`);
  const out = new Map<string, Probe>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const tab = line.indexOf('\t');
    out.set(line.slice(0, tab), parseProbe(line.slice(tab + 1)));
  }
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
        // The path the kernel was given (bash makes it absolute).
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
    const r = sandboxed(
      [
        'd=$(mktemp -d); cd "$d"',
        ...['', 'P', 'O'].map(
          (f, i) =>
            `echo ':par${i}:E::pa${i}::${LOADER}:${f}' > ${MOUNT}/register; ln -s ${fixture('probe')} p.pa${i}; ln -s ${fixture('probe-static')} s.pa${i}`,
        ),
        'for f in p.pa0 p.pa1 p.pa2 s.pa0 s.pa1 s.pa2; do for a in "" "1" "1 2" "1 2 3"; do for e in "" "E1=v" "E1=v E2=v"; do',
        '  env -i $e ./$f $a | grep -o \'"misalign":[0-9]*\'',
        'done; done; done',
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(6 * 4 * 3);
    expect(new Set(lines)).toEqual(new Set(['"misalign":0']));
  });
});

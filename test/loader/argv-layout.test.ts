/**
 * The P decision (native/loader/argv-layout.h): AT_FLAGS bit 0 (Linux >= 5.12)
 * or the copy's stamp (CONFIG_ENTRY_P), so that a copy stamped with its
 * entry's flags reads argv right on kernels with and without the bit.
 * The header is compiled as is into a small host program; then the stamp is
 * checked on this kernel in a sandbox, and the pre-5.12 layout (P's argv and
 * no AT_FLAGS bit) by invoking a stamped copy the way such a kernel would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { cli, ROOT } from '../helpers/sandbox.js';
import { exec, register, sandboxedSteps } from '../helpers/steps.js';
import { buildFixtures, fixture, parseProbe, run } from './helpers.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('binfmt-argv-layout-');
/** A copy stamped --embed-ld glibc for an entry with flags POF, or F. */
function stampWithP(out: string, withP: boolean): void {
  const flags = withP ? 'POF' : 'F';
  const r = cli([
    'loader',
    'stamp',
    '--json',
    '--out',
    out,
    '--embed-ld',
    '/lib64/ld-linux-x86-64.so.2',
    '--entry-flags',
    flags,
  ]);
  if (r.status !== 0) throw new Error(r.stderr);
  if (JSON.parse(r.stdout).config.entryP !== withP) throw new Error(`entryP not ${withP}`);
}

beforeAll(buildFixtures);

describe('binfmt_preserves_argv0: AT_FLAGS bit 0 or the stamp', () => {
  it('decides every combination as the table in argv-layout.h says', () => {
    const src = join(tmp, 'decide.c');
    writeFileSync(
      src,
      `#include <stdio.h>\n#include "${join(ROOT, 'native', 'loader', 'argv-layout.h')}"\n` +
        'int main(void) {\n' +
        '  unsigned long at[] = {0, 1, 2, 3};\n  unsigned cfg[] = {0, 1, 2, 4, 7};\n' +
        '  for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++)\n' +
        '    printf("%lu %u %d\\n", at[i], cfg[j], binfmt_preserves_argv0(at[i], cfg[j]));\n  return 0;\n}\n',
    );
    const bin = join(tmp, 'decide');
    const cc = spawnSync('gcc', ['-std=c11', '-Wall', '-Werror', '-o', bin, src], { encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    const out = spawnSync(bin, { encoding: 'utf8' }).stdout.trim().split('\n');
    const expected: string[] = [];
    for (const at of [0, 1, 2, 3]) {
      for (const cfg of [0, 1, 2, 4, 7]) expected.push(`${at} ${cfg} ${(at & 1) === 1 || (cfg & 4) === 4 ? 1 : 0}`);
    }
    expect(out).toEqual(expected);
    // The kernel's bit alone, and the stamp alone, each mean P; other bits never do.
    expect(out).toContain('1 0 1');
    expect(out).toContain('0 4 1');
    expect(out).toContain('2 2 0');
    expect(out).toContain('2 1 0');
  });

  it('a copy stamped P reads the pre-5.12 layout (P argv, AT_FLAGS 0); an unstamped one does not', () => {
    // Invoked directly with binfmt_misc's P layout, as a kernel before 5.12
    // invokes it: [copy, path, argv0, args] and no AT_FLAGS bit.
    const withP = join(tmp, 'with-p');
    const withoutP = join(tmp, 'without-p');
    stampWithP(withP, true);
    stampWithP(withoutP, false);
    const env = { PATH: process.env.PATH, PROBE: 'yes' };
    expect(parseProbe(run([withP, fixture('probe'), 'myname', 'a'], { env }).stdout).argv).toEqual(['myname', 'a']);
    expect(parseProbe(run([withoutP, fixture('probe'), 'myname', 'a'], { env }).stdout).argv).toEqual([
      fixture('probe'),
      'myname',
      'a',
    ]);
  });
});

describe('stamped P on this kernel (sandbox, Linux >= 5.12: AT_FLAGS has the bit)', needs(sandbox()), () => {
  it('P entries get argv right stamped or not; an entry without P and an unstamped copy too', () => {
    const withP = join(tmp, 'sb-with-p');
    const withoutP = join(tmp, 'sb-without-p');
    stampWithP(withP, true);
    stampWithP(withoutP, false);
    const d = mkdtempSync(join(tmp, 'run-'));
    // bash's exec -a hands the kernel an absolute path: so do these
    const runs = ['sp', 'up', 'un'].map((x) => {
      symlinkSync(fixture('probe'), join(d, `p.${x}`));
      return exec([join(d, `p.${x}`), 'a'], { cwd: d, argv0: 'myname' });
    });
    const r = sandboxedSteps([
      register(`:sp:E::sp::${withP}:P\n`),
      register(`:up:E::up::${withoutP}:P\n`),
      register(`:un:E::un::${withoutP}:\n`),
      ...runs,
    ]);
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const [sp, up, un] = r.slice(3).map((step) => step.stdout.match(/"argv":\[[^\]]*\]/g)?.join('\n'));
    expect(sp).toBe('"argv":["myname","a"]');
    expect(up).toBe('"argv":["myname","a"]');
    expect(un).toMatch(/^"argv":\["\/[^"]*\/p\.un","a"\]$/);
  });
});

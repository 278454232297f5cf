/**
 * `binfmt remove --owned` in a sandbox: it removes every entry binfmt
 * registered (apply, register) and nothing else: not an entry registered by
 * hand, not one changed by someone else since (left with a note), and with
 * --pid not what `register --pid` put there (it records nothing). A second
 * run finds nothing; --dry-run changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOUNT, sandboxedScript } from '../helpers/sandbox.js';
import { binfmt, entries, must, register, run, sandboxedSteps, write } from '../helpers/steps.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

function configRoot(text: string): { root: string; state: string } {
  const dir = tempDir('remove-owned-');
  mkdirSync(join(dir, 'root', 'etc', 'binfmt.d'), { recursive: true });
  writeFileSync(join(dir, 'root', 'etc', 'binfmt.d', 'x.conf'), text);
  return { root: join(dir, 'root'), state: join(dir, 'state') };
}

describe('remove --owned', needs(sandbox()), () => {
  it('removes what binfmt registered, leaves the rest, and converges', () => {
    const { root, state } = configRoot(':a:E::aa::/bin/sh:\n:b:E::bb::/bin/sh:\n');
    const st = ['--state-dir', state];
    const [, , , , , dry, afterDry, json, listed, again, againJson] = sandboxedSteps([
      must(register(':theirs:E::th::/bin/sh:')),
      must(binfmt('apply', '--config-root', root, ...st)),
      must(binfmt('register', '--line', ':r:E::rr::/bin/sh:', ...st)),
      // b changed by hand since apply registered it: someone else's now
      must(write(`${MOUNT}/b`, '-1')),
      must(register(':b:E::bX::/bin/sh:')),
      binfmt('remove', '--owned', '--dry-run', ...st),
      entries(),
      binfmt('remove', '--owned', '--json', ...st),
      entries(),
      binfmt('remove', '--owned', ...st),
      binfmt('remove', '--owned', '--json', ...st),
    ]);
    expect(dry!.stdout).toBe(
      'r: would be removed  (registered by binfmt: binfmt register)\n' +
        `a: would be removed  (registered by binfmt: ${root}/etc/binfmt.d/x.conf:1)\n` +
        'b: left alone: changed by someone else since binfmt registered it, so it is theirs now\n',
    );
    expect(dry!.status).toBe(0);
    expect(afterDry!.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'a',
      'b',
      'r',
      'register',
      'status',
      'theirs',
    ]);
    expect(json!.status).toBe(0);
    expect(JSON.parse(json!.stdout)).toEqual({
      action: 'remove',
      owned: true,
      names: ['r', 'a'],
      leftAlone: [
        {
          name: 'b',
          source: `${root}/etc/binfmt.d/x.conf:2`,
          reason: 'changed by someone else since binfmt registered it, so it is theirs now',
        },
      ],
      dryRun: false,
    });
    expect(listed!.stdout.split('\n').filter(Boolean).sort()).toEqual(['b', 'register', 'status', 'theirs']);
    expect([again!.stdout, again!.status]).toEqual([`nothing binfmt registered in ${MOUNT}\n`, 0]);
    expect(JSON.parse(againJson!.stdout)).toMatchObject({ names: [], leftAlone: [] });
  });

  it('acts on the instance of --mount, and refuses names together with --owned', () => {
    const { root, state } = configRoot(':m:E::mm::/bin/sh:\n');
    const alt = tempDir('alt-mount-');
    const [, , gone, both, none] = sandboxedSteps([
      must(run('mount', '-t', 'binfmt_misc', 'binfmt_misc', alt)),
      must(binfmt('apply', '--config-root', root, '--state-dir', state, '--mount', alt)),
      binfmt('remove', '--owned', '--state-dir', state, '--mount', alt),
      binfmt('remove', '--owned', 'm', '--state-dir', state),
      binfmt('remove'),
    ]);
    expect([gone!.stdout, gone!.status]).toEqual([
      `m: removed  (registered by binfmt: ${root}/etc/binfmt.d/x.conf:1)\n`,
      0,
    ]);
    expect([both!.stderr, both!.status]).toEqual(['binfmt: give either entry names or --owned, not both\n', 2]);
    expect([none!.stderr, none!.status]).toEqual(['binfmt: remove needs entry names (or --owned)\n', 2]);
  });

  it("with --pid removes what apply recorded for that process's instance, not what register --pid put there", () => {
    const { root, state } = configRoot(':pa:E::pa::/bin/true:\n');
    const r = sandboxedScript(new URL('scripts/remove-owned-pid.sh', import.meta.url), [root, state]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      new RegExp(
        '^## remove\\npa: removed {2}\\(registered by binfmt: .*/x.conf:1\\)\\nrc=0\\n' +
          '## left\\nenabled {3}pr  extension \\.pr  -> /bin/true\\nrc=0\\n' +
          "## again\\nnothing binfmt registered in the binfmt_misc of process \\d+'s user namespace\\nrc=0\\n$",
      ),
    );
  });
});

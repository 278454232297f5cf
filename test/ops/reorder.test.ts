import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binfmt, entries, must, register, run, sandboxedSteps } from '../helpers/steps.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

describe('binfmt reorder', needs(sandbox()), () => {
  it('moves an owned entry before another, and the kernel then runs it', () => {
    const root = tempDir('reorder-');
    mkdirSync(join(root, 'etc/binfmt.d'), { recursive: true });
    writeFileSync(join(root, 'etc/binfmt.d/a.conf'), ':first:M::SAME::/bin/echo:\n:second:M::SAME::/bin/true:\n');
    const state = tempDir('state-');
    const file = join(tempDir('reorder-file-'), 'f');
    writeFileSync(file, 'SAME');
    chmodSync(file, 0o755);
    const reorder = binfmt('reorder', 'first', '--before', 'second', '--state-dir', state);
    const r = sandboxedSteps([
      must(binfmt('apply', '--config-root', root, '--state-dir', state)),
      run(file, 'hello'), // second (/bin/true) is newest: prints nothing
      binfmt('reorder', 'first', '--before', 'second', '--state-dir', state, '--json'),
      entries(),
      run(file, 'hello'), // first (/bin/echo) now wins: echo prints the path and hello
      reorder,
    ]);
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const [, before, moved, listed, after, again] = r;
    expect(before!.stdout).toBe('');
    expect(JSON.parse(moved!.stdout).applied).toBe(true);
    expect(listed!.stdout.split('\n').slice(0, 2)).toEqual(['first', 'second']);
    expect(after!.stdout).toMatch(/\/f hello\n$/);
    expect(again!.stdout).toBe("'first' already matches before 'second'\n");
  });

  it('refuses to move an entry binfmt does not own unless --force', () => {
    const reorder = ['reorder', 'a', '--before', 'b', '--state-dir', tempDir('state-')];
    const [, , refused, forced, listed] = sandboxedSteps([
      register(':a:E::a::/bin/sh:'),
      register(':b:E::b::/bin/sh:'),
      binfmt(...reorder),
      binfmt(...reorder, '--force'),
      entries(),
    ]);
    expect([refused!.status, forced!.status]).toEqual([1, 0]);
    expect(refused!.stdout).toBe('');
    expect(listed!.stdout.split('\n').slice(0, 2)).toEqual(['a', 'b']);
    expect(refused!.stderr).toMatch(
      /'a' was not registered by binfmt; moving it means registering it again \(--force does that\)/,
    );
  });
});

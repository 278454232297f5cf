/**
 * `register --extension .jar` is refused (the kernel would keep the dot and
 * the entry could never match); with --force it registers, and the kernel
 * proves the guard right: a .jar file is not run by the interpreter.
 */
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binfmt, entries, run, sandboxedSteps } from '../helpers/steps.js';
import { compiled } from '../helpers/fixtures.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

const EXECV = fileURLToPath(new URL('scripts/execv.py', import.meta.url));

describe('an extension given with its dot', needs(sandbox()), () => {
  it('is refused with the fix; --force registers an entry the kernel never matches', () => {
    const d = tempDir('dot-jar-');
    writeFileSync(join(d, 'app.jar'), 'PK');
    chmodSync(join(d, 'app.jar'), 0o755);
    const args = ['register', '--name', 'jar', '--extension', '.jar', '--interpreter', compiled('who')];
    const [refused, listed, forced, shown, ran] = sandboxedSteps([
      binfmt(...args),
      entries(),
      binfmt(...args, '--force'),
      run('cat', '/proc/sys/fs/binfmt_misc/jar'),
      run('python3', EXECV, join(d, 'app.jar')),
    ]);
    expect(refused!.status).toBe(1);
    expect(refused!.stderr).toContain(
      "binfmt: error: extension: '.jar' starts with '.', which the kernel keeps (it lists '..jar'), and the extension of a path never does: it can never match; write 'jar' (the kernel adds the '.') [extension-leading-dot]\n",
    );
    expect(listed!.stdout).toBe('register\nstatus\n');
    expect(forced!.status).toBe(0);
    expect(shown!.stdout).toContain('extension ..jar\n');
    // Not run by the interpreter: the kernel found no handler for "PK".
    expect(ran!.stdout).toBe('exec: ENOEXEC\n');
  });
});

/**
 * An older glibc (Debian bullseye, 2.31, from scripts/make-rootfs.sh): its
 * ld.so has no --argv0, so a copy carrying it must not pass one (2.31 would
 * reject it), and it runs that root's own programs in a chroot with neither
 * ld.so nor the loader at any path (sandbox, F).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli } from '../helpers/sandbox.js';
import { register, run, sandboxedSteps } from '../helpers/steps.js';
import { bullseyeRoot, copyInto, optDir } from '../helpers/rootfs.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

describe('glibc 2.31 ld.so embedded in a loader copy', needs(sandbox()), () => {
  let root: string;
  let opt: ReturnType<typeof optDir>;
  const copy = join(tempDir('binfmt-old-'), 'loader-2.31');

  beforeAll(() => {
    root = bullseyeRoot();
    opt = optDir(root);
    copyInto(join(root, 'bin', 'bash'), opt.host, 'bash.b31');
    copyInto(join(root, 'bin', 'ls'), opt.host, 'ls.b31');
  }, 600_000);
  afterAll(() => opt?.cleanup());

  it('stamp finds that ld.so 2.31 does not take --argv0', () => {
    const r = cli([
      'loader',
      'stamp',
      '--json',
      '--out',
      copy,
      '--embed-ld',
      join(root, 'lib', 'x86_64-linux-gnu', 'ld-2.31.so'),
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).config).toMatchObject({ policy: 'embedded', argv0: false });
  });

  it("runs the root's own programs in a chroot, with P, without passing --argv0", () => {
    const script = 'echo "bash $BASH_VERSION"; echo "$0 $1"';
    const r = sandboxedSteps([
      register(`:old:E::b31::${copy}:POF\n`),
      run('chroot', root, `${opt.inRoot}/bash.b31`, '-c', script, 'zero', 'one'),
      run('chroot', root, `${opt.inRoot}/ls.b31`, '-d', '/opt'),
    ]);
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const [, bash, ls] = r;
    expect(bash!.stdout).toMatch(/^bash 5\.1\.\S+\nzero one\n$/);
    expect([ls!.stdout, ls!.status]).toEqual(['/opt\n', 0]);
  });
});

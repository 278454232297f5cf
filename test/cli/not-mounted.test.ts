/**
 * `--mount DIR` where DIR is not a binfmt_misc mount: mounting one there is
 * suggested only when DIR is an empty directory, never over one that holds
 * files (it would hide them all).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli } from '../helpers/sandbox.js';
import { tempDir } from '../helpers/tmp.js';

const empty = tempDir('binfmt-empty-mount-');

describe('list --mount on something that is not binfmt_misc', () => {
  it('says a directory with files is not a binfmt_misc mount, and suggests no mount over it', () => {
    const r = cli(['list', '--mount', '/etc']);
    expect([r.status, r.stderr]).toEqual([
      1,
      'binfmt: binfmt_misc is not mounted at /etc: it is a directory with other files in it, not a binfmt_misc mount ' +
        '(binfmt_misc is usually at /proc/sys/fs/binfmt_misc; binfmt sandbox -- … gives a private one)\n',
    ]);
  });

  it('suggests the mount on an empty directory', () => {
    const r = cli(['list', '--mount', empty, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toBe(
      `binfmt_misc is not mounted at ${empty} (as root: mount -t binfmt_misc binfmt_misc ${empty}; or binfmt sandbox -- … gives a private one)`,
    );
  });

  it('says when there is nothing there', () => {
    const r = cli(['list', '--mount', join(empty, 'none')]);
    expect(r.stderr).toBe(
      `binfmt: binfmt_misc is not mounted at ${empty}/none: no such directory (binfmt sandbox -- … gives a private one)\n`,
    );
  });
});

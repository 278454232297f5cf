/**
 * persist and unpersist take an entry name and make a file name of it: a
 * path is refused as not a name (it must not reach outside the binfmt.d
 * directory), a hidden name as one systemd would never read.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { unpersist } from '../../src/config/persistence.js';
import { thrown } from '../helpers/thrown.js';

const root = tempDir('persist-name-');

describe('the NAME of persist and unpersist', () => {
  for (const name of ['../../etc/passwd', 'a/b', '/etc/passwd', '..', '.']) {
    it(`refuses ${JSON.stringify(name)} as a path, not an entry name`, () => {
      const e = thrown(() => unpersist(root, name, true));
      expect(e.code).toBe('EINVAL');
      expect(e.field).toBe('name');
      expect(e.message).toBe(
        `'${name}' is not an entry name: a name is one plain file name (no '/'), as binfmt_misc shows it, not a path`,
      );
    });
  }

  it('refuses a hidden name, which systemd would never read', () => {
    expect(thrown(() => unpersist(root, '.x', true)).message).toMatch(
      /^'\.x' starts with '\.': systemd ignores hidden files/,
    );
  });

  it('takes a plain name, and looks for its file in binfmt.d', () => {
    expect(thrown(() => unpersist(root, 'qemu-aarch64', true)).message).toBe(
      `${join(root, 'etc/binfmt.d/qemu-aarch64.conf')} does not exist: 'qemu-aarch64' is not persisted by binfmt`,
    );
  });
});

/**
 * Each test file gets a TMPDIR of its own (setupFiles in vitest.config.ts),
 * below the suite's (suite-setup.ts), and must leave it empty: whatever is
 * left when its tests are done fails the file, naming it, and is removed.
 * Programs the tests start (mktemp, binfmt sandbox's staging directory)
 * inherit it.
 */
import { afterAll, inject } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const outer = process.env.TMPDIR;
const mine = mkdtempSync(join(inject('suiteTmpDir'), 'file-'));
// Like /tmp: the ordinary users some tests run as (setpriv, the podman test user) make files here too.
chmodSync(mine, 0o1777);
process.env.TMPDIR = mine;

afterAll(() => {
  const left = readdirSync(mine);
  rmSync(mine, { recursive: true, force: true });
  if (outer === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
  if (left.length > 0) throw new Error(`the tests left in TMPDIR: ${left.sort().join(' ')}`);
});

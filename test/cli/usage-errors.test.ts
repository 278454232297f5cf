/**
 * Usage errors (exit 2) say what was wrong and where to look, on one line,
 * and in the documented JSON error shape under --json.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/sandbox.js';

describe('usage errors', () => {
  it('print the JSON error shape under --json, exit 2', () => {
    const r = cli(['list', '--bogus', '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'EUSAGE', message: "unknown option '--bogus' (see binfmt list --help)", field: null },
    });
    expect(r.stderr).toBe("binfmt: unknown option '--bogus' (see binfmt list --help)\n");
  });

  it('name an unknown command and where the commands are listed', () => {
    const r = cli(['frobnicate']);
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      '',
      "binfmt: unknown command 'frobnicate' (see binfmt --help)\n",
    ]);
  });

  it("point at a subcommand's own help", () => {
    const r = cli(['oci-hook', 'install', '--hooks-dir', 'x', '--bogus']);
    expect([r.status, r.stderr]).toEqual([
      2,
      "binfmt: unknown option '--bogus' (see binfmt oci-hook install --help)\n",
    ]);
  });
});

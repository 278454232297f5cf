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

  it('--pid: the option word is checked before the process, and a combination before both', () => {
    // Above the largest pid_max Linux allows (PID_MAX_LIMIT, 4194304 on 64-bit): no such process, ever.
    const none = '4194305';
    const cases: [string[], number, string][] = [
      [['list', '--pid', '0x1'], 2, 'binfmt: --pid 0x1: not a process id\n'],
      [['list', '--pid', none, '--mount', '/tmp'], 2, 'binfmt: give either --mount or --pid, not both\n'],
      [
        ['emulate', '--podman', '--pid', none, '--dry-run', 'aarch64'],
        2,
        'binfmt: give one of --podman, --pid and --mount\n',
      ],
    ];
    for (const [args, status, stderr] of cases) {
      const r = cli(args);
      expect([args, r.status, r.stderr]).toEqual([args, status, stderr]);
    }
  });
});

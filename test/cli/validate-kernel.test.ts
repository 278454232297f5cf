/**
 * `binfmt validate` judges by one kernel's rules (--kernel, default the
 * running kernel) and reads its inputs as bytes: arguments from
 * /proc/self/cmdline, --stdin as given, -z for NUL-separated strings.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, cli } from '../helpers/sandbox.js';

interface V {
  input: string;
  inputHex?: string;
  valid: boolean | null;
  errno: string | null;
  diagnostics: { code: string; message: string }[];
}
const json = (out: string): V[] => JSON.parse(out) as V[];
const FLAG_DELIM = 'PxPEPPzPP/bin/shP\n';

describe('validate --kernel', () => {
  it('accepts a flag letter as delimiter for kernels before the stable patch, refuses it after', () => {
    for (const [k, valid, errno] of [
      ['5.10.223', true, null],
      ['6.1.176', true, null],
      ['6.1.0-52-amd64', true, null],
      ['6.12.100', true, null],
      ['6.1.187', false, 'EINVAL'],
      ['6.12.117', false, 'EINVAL'],
      ['6.18.44', false, 'EINVAL'],
    ] as const) {
      const r = cli(['validate', '--json', '--stdin', '-z', '--kernel', k], { input: FLAG_DELIM });
      const [v] = json(r.stdout);
      expect([k, v!.valid, v!.errno]).toEqual([k, valid, errno]);
      expect(r.status).toBe(valid ? 0 : 1);
    }
  });

  it('says unknown, and why, for a kernel between or outside the versions booted', () => {
    for (const k of ['6.6.30', '6.1.183', '6.12.103']) {
      const r = cli(['validate', '--json', '--stdin', '-z', '--kernel', k], { input: FLAG_DELIM });
      const [v] = json(r.stdout);
      expect(v!.valid).toBeNull();
      expect(r.status).toBe(1);
      expect(v!.diagnostics[0]).toMatchObject({ code: 'kernel-rule-unknown' });
      expect(v!.diagnostics[0]!.message).toContain(`unknown for Linux ${k}`);
    }
    // A string the old and the new rule both refuse is invalid, not unknown.
    const both = json(cli(['validate', '--json', '--kernel', '6.6.30', 'PxPEPPzPP/bin/shP']).stdout)[0]!;
    expect([both.valid, both.errno]).toEqual([false, 'EINVAL']);
  });

  it('refuses a version it cannot read, naming --kernel', () => {
    const r = cli(['validate', '--kernel', '6.1.0-99-amd64', ':a:E::z::/bin/sh:']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--kernel: '6\.1\.0-99-amd64' is a Debian ABI name/);
  });
});

describe('validate reads bytes', () => {
  it('takes arguments as the bytes given, not as UTF-8 decoded by Node', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `exec "${process.execPath}" "${CLI}" validate --json $':x:M::\\xff\\xfe::/bin/sh:' $':\\xe9:E::z::/bin/sh:'`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const v = json(r.stdout);
    expect(v.map((x) => [x.valid, x.inputHex])).toEqual([
      [true, Buffer.from(':x:M::\xff\xfe::/bin/sh:', 'latin1').toString('hex')],
      [true, Buffer.from(':\xe9:E::z::/bin/sh:', 'latin1').toString('hex')],
    ]);
  });

  it('takes --stdin as bytes, one string per line, or per NUL with -z (a final newline kept)', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `printf ':x:M::\\xff::/bin/sh:\\n:y:E::z::/bin/sh:\\n' | "${process.execPath}" "${CLI}" validate --json --stdin`,
      ],
      { encoding: 'utf8' },
    );
    expect(json(r.stdout).map((x) => x.valid)).toEqual([true, true]);
    const z = cli(['validate', '--json', '--stdin', '-z'], { input: ':a:E::z::/bin/sh:\n\0:b:E::z::/bin/sh:\n\n\0' });
    expect(json(z.stdout).map((x) => [x.input, x.valid, x.errno])).toEqual([
      [':a:E::z::/bin/sh:\n', true, null],
      [':b:E::z::/bin/sh:\n\n', false, 'EINVAL'],
    ]);
    expect(cli(['validate', '-z', ':a:E::z::/bin/sh:']).status).toBe(2);
  });

  it('an F interpreter path that goes on after a regular file is ENOTDIR', () => {
    const v = json(
      cli([
        'validate',
        '--json',
        ':a:E::z::/bin/sh/:F',
        ':b:E::z::/bin/sh/.:F',
        ':c:E::z::/etc/passwd/:F',
        ':d:E::z::/bin/sh/:',
      ]).stdout,
    );
    expect(v.map((x) => x.errno)).toEqual(['ENOTDIR', 'ENOTDIR', 'ENOTDIR', null]);
  });
});

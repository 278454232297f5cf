/**
 * Real programs give the same output and exit status through the loader as
 * direct: in command mode, and as binfmt_misc interpreter (flags POF, sandbox).
 * glibc programs run under glibc's ld.so, musl programs under musl's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { exec, register, sandboxedSteps } from '../helpers/steps.js';
import { LOADER, buildFixtures, fixture, run, withoutSelfexec } from './helpers.js';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

interface Case {
  name: string;
  argv: string[];
  input?: string;
}

const REAL: Case[] = [
  {
    name: 'bash',
    argv: ['/bin/bash', '-c', 'echo "$0 $#"; printf "<%s>\\n" "$@"; read l; echo "got $l"; exit 3', 'zero', 'a b', 'c'],
    input: 'line\n',
  },
  {
    name: 'python3',
    argv: [
      '/usr/bin/python3',
      '-c',
      'import sys, threading; print(sys.argv[1:], sum(range(10))); sys.exit(4)',
      'x',
      'y',
    ],
  },
  { name: 'perl', argv: ['/usr/bin/perl', '-e', 'print "perl @ARGV\\n"; exit 5', 'p', 'q'] },
  { name: 'sort', argv: ['/usr/bin/sort', '-r'], input: 'b\na\nc\n' },
  { name: 'sha256sum', argv: ['/usr/bin/sha256sum'], input: 'hello\n' },
  { name: 'ls', argv: ['/bin/ls', '-1', '/'] },
  { name: 'env', argv: ['/usr/bin/env'] },
  { name: 'false', argv: ['/bin/false'] },
  { name: 'git', argv: ['/usr/bin/git', 'hash-object', '--stdin'], input: 'blob\n' },
  {
    name: 'node',
    argv: [process.execPath, '-e', 'console.log(process.argv.slice(1).join(","), 6 * 7); process.exit(7)', 'a', 'b'],
  },
];

const KINDS = [
  'kind-pie',
  'kind-nopie',
  'kind-static',
  'kind-static-pie',
  'kind-execstack',
  'kind-bigbss',
  'kind-dlopen',
  'kind-threads',
  'kind-origin',
  'kind-musl',
  'kind-musl-static',
  'kind-musl-threads',
  'kind-musl-bigbss',
  'kind-musl-execstack',
];

const ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C', HOME: '/tmp' };

beforeAll(buildFixtures);

describe('real programs and program kinds, command mode', () => {
  for (const c of REAL) {
    it(`${c.name}: same output and status`, () => {
      const direct = run(c.argv, { env: ENV, input: c.input });
      const chained = run([LOADER, '--', ...c.argv], { env: ENV, input: c.input });
      expect(direct.stdout.length).toBeGreaterThan(c.name === 'false' ? -1 : 0);
      expect({ ...chained, stdout: withoutSelfexec(chained.stdout) }).toEqual(direct);
    });
  }
  for (const k of KINDS) {
    it(`${k}: same output and status`, () => {
      const direct = run([fixture(k)], { env: ENV });
      expect(direct.status).toBe(0);
      expect(run([LOADER, '--', fixture(k)], { env: ENV })).toEqual(direct);
    });
  }
});

describe('real programs and program kinds, binfmt_misc POF (sandbox)', needs(sandbox()), () => {
  it('every program gives the same output and status as direct, including an exec chain', () => {
    // kind-origin is checked on its own below: through a symlink, $ORIGIN differs.
    const all = [
      ...REAL,
      ...KINDS.filter((k) => k !== 'kind-origin').map((k) => ({ name: k, argv: [fixture(k)] }) as Case),
    ];
    const d = tempDir('loader-programs-');
    all.forEach((c, i) => symlinkSync(c.argv[0]!, join(d, `p${i}.bfl`)));
    symlinkSync(fixture('probe-static'), join(d, 'probe.bfl'));
    const opts = (c: Case) => ({ cwd: d, env: ENV, input: c.input ?? '' });
    const r = sandboxedSteps([
      register(`:loader-pof:E::bfl::${LOADER}:POF\n`),
      ...all.flatMap((c, i) => [exec(c.argv, opts(c)), exec([`./p${i}.bfl`, ...c.argv.slice(1)], opts(c))]),
      // A handled bash runs a handled static program: no loop, no leaked fd.
      exec(['./p0.bfl', '-c', './probe.bfl chained'], { cwd: d }),
    ]);
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const ran = ({ stdout, status, signal }: (typeof r)[number]) => ({ stdout, status, signal });
    all.forEach((c, i) => {
      const [direct, loader] = [r[1 + 2 * i]!, r[2 + 2 * i]!];
      expect({ ...ran(loader), stdout: withoutSelfexec(loader.stdout) }, c.name).toEqual(ran(direct));
    });
    const chain = r.at(-1)!;
    expect([chain.stdout.match(/"argv":\[[^\]]*\]/g), chain.status]).toEqual([['"argv":["./probe.bfl","chained"]'], 0]);
  });

  it('$ORIGIN is the directory of the path ld.so was given: a copy works, a symlink elsewhere does not', () => {
    const d = tempDir('loader-origin-');
    copyFileSync(fixture('kind-origin'), join(d, 'origin.bfl'));
    cpSync(fixture('lib'), join(d, 'lib'), { recursive: true });
    mkdirSync(join(d, 'elsewhere'));
    symlinkSync(fixture('kind-origin'), join(d, 'elsewhere', 'link.bfl'));
    const [, copy, link, direct] = sandboxedSteps([
      register(`:loader-origin:E::bfl::${LOADER}:POF\n`),
      exec(['./origin.bfl'], { cwd: d }),
      exec(['./elsewhere/link.bfl'], { cwd: d }),
      exec([fixture('kind-origin')], { cwd: d }),
    ]);
    expect([copy!.stdout, copy!.status]).toEqual(['origin ok 42\n', 0]);
    expect(link!.stderr).toMatch(/libkind\.so: cannot open shared object file[^\n]*\n$/);
    expect(link!.status).toBe(127);
    expect([direct!.stdout, direct!.status]).toEqual(['origin ok 42\n', 0]);
  });
});

/**
 * Real programs give the same output and exit status through the loader as
 * direct: in command mode, and as binfmt_misc interpreter (flags POF, sandbox).
 * glibc programs run under glibc's ld.so, musl programs under musl's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sandboxed, MOUNT } from '../helpers/sandbox.js';
import { LOADER, buildFixtures, fixture, run, withoutSelfexec } from './helpers.js';
import { needs, sandbox } from '../helpers/skip-gate.js';

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
    const q = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
    const lines = [
      'd=$(mktemp -d); cd "$d"',
      `echo ':loader-pof:E::bfl::${LOADER}:POF' > ${MOUNT}/register`,
      'sep() { printf "\\n--- %s status %s\\n" "$1" "$2"; }',
      ...all.flatMap((c, i) => {
        const input = q(c.input ?? '');
        const args = c.argv.slice(1).map(q).join(' ');
        return [
          `ln -s ${c.argv[0]} p${i}.bfl`,
          `printf %s ${input} | env -i PATH=${ENV.PATH} LC_ALL=C HOME=/tmp ${c.argv[0]} ${args}; sep direct-${c.name} $?`,
          `printf %s ${input} | env -i PATH=${ENV.PATH} LC_ALL=C HOME=/tmp ./p${i}.bfl ${args}; sep loader-${c.name} $?`,
        ];
      }),
      // A handled bash runs a handled static program: no loop, no leaked fd.
      `ln -s ${fixture('probe-static')} probe.bfl`,
      `./p0.bfl -c './probe.bfl chained' | grep -o '"argv":\\[[^]]*\\]'; sep chain $?`,
    ];
    const r = sandboxed(lines.join('\n'));
    expect(r.stderr).toBe('');
    const parts = r.stdout.split(/\n--- (\S+) status (\d+)\n/);
    const got = new Map<string, string>();
    for (let i = 0; i + 2 < parts.length; i += 3) got.set(parts[i + 1]!, `${parts[i]}\nstatus ${parts[i + 2]}`);
    for (const c of all) {
      expect(withoutSelfexec(got.get(`loader-${c.name}`) ?? ''), c.name).toBe(got.get(`direct-${c.name}`));
      expect(got.get(`direct-${c.name}`)).toBeDefined();
    }
    expect(got.get('chain')).toBe('"argv":["./probe.bfl","chained"]\n\nstatus 0');
  });

  it('$ORIGIN is the directory of the path ld.so was given: a copy works, a symlink elsewhere does not', () => {
    const r = sandboxed(
      [
        'd=$(mktemp -d); cd "$d"',
        `echo ':loader-origin:E::bfl::${LOADER}:POF' > ${MOUNT}/register`,
        `cp ${fixture('kind-origin')} origin.bfl; cp -r ${fixture('lib')} lib`,
        './origin.bfl; echo "copy status $?"',
        `mkdir elsewhere; ln -s ${fixture('kind-origin')} elsewhere/link.bfl`,
        './elsewhere/link.bfl 2>&1; echo "symlink status $?"',
        `${fixture('kind-origin')}; echo "direct status $?"`,
      ].join('\n'),
    );
    expect(r.stdout).toContain('origin ok 42\ncopy status 0');
    expect(r.stdout).toMatch(/libkind\.so: cannot open shared object file[^\n]*\nsymlink status 127/);
    expect(r.stdout).toContain('origin ok 42\ndirect status 0');
  });
});

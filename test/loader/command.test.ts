/**
 * Command mode: `binfmt-loader [options] -- PROGRAM ARGS`. The probe run
 * through the loader sees what it sees when run directly, except exactly the
 * documented differences (docs/binfmt-loader.8.md, DIFFERENCES).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AT,
  GLIBC_LDSO,
  LOADER,
  MUSL_LDSO,
  SELFEXEC_ENV,
  buildFixtures,
  comparable,
  fixture,
  parseProbe,
  run,
} from './helpers.js';
import { tempDir } from '../helpers/tmp.js';

beforeAll(buildFixtures);

const probes = [
  { name: 'probe', kind: 'glibc PIE', dynamic: true, musl: false },
  { name: 'probe-nopie', kind: 'glibc ET_EXEC', dynamic: true, musl: false },
  { name: 'probe-static', kind: 'glibc static', dynamic: false, musl: false },
  { name: 'probe-static-pie', kind: 'glibc static-pie', dynamic: false, musl: false },
  { name: 'probe-musl', kind: 'musl PIE', dynamic: true, musl: true },
  { name: 'probe-musl-static', kind: 'musl static', dynamic: false, musl: true },
];

describe('command mode: the probe', () => {
  for (const p of probes) {
    it(`${p.kind}: same argv, environment, auxv, comm and fds as direct; only the documented differences`, () => {
      const direct = run([`./${p.name}`, 'one', 'two words']);
      const chained = run([LOADER, '--', `./${p.name}`, 'one', 'two words']);
      expect(direct.status).toBe(0);
      expect(chained.status).toBe(0);
      const d = parseProbe(direct.stdout);
      const c = parseProbe(chained.stdout);
      // The documented differences:
      expect(c.exe).toBe(LOADER);
      expect(c.cmdline).toBe(`${LOADER} -- ./${p.name} one two words `);
      // The program's own path, for its re-executions (made absolute).
      expect(c.env.filter((e) => e.startsWith(`${SELFEXEC_ENV}=`))).toEqual([`${SELFEXEC_ENV}=${fixture(p.name)}`]);
      expect(d.env.some((e) => e.startsWith(`${SELFEXEC_ENV}=`))).toBe(false);
      if (p.dynamic) expect(c.auxv.get(AT.BASE)).toBe(0);
      // musl's ld.so run as a command enters the program at argv-1 (its crt
      // realigns): the same as running `ld-musl PROG` directly.
      const musl = p.musl && p.dynamic;
      if (musl)
        expect(c.misalign).toBe(parseProbe(run([MUSL_LDSO, `./${p.name}`, 'one', 'two words']).stdout).misalign);
      // Everything else is identical.
      expect(comparable(c, ['exe', 'cmdline', ...(musl ? ['misalign'] : [])], [AT.BASE])).toEqual(
        comparable(d, ['exe', 'cmdline', ...(musl ? ['misalign'] : [])], [AT.BASE]),
      );
      expect(d.misalign).toBe(0);
      if (!musl) expect(c.misalign).toBe(0);
    });
  }

  it("--argv0 sets the program's argv[0] (glibc and musl), and comm follows the program", () => {
    for (const name of ['probe', 'probe-musl', 'probe-static']) {
      const c = parseProbe(run([LOADER, '--argv0', 'custom', '--', `./${name}`, 'x']).stdout);
      expect(c.argv).toEqual(['custom', 'x']);
      expect(c.comm).toBe(name.slice(0, 15));
    }
  });

  it("the --argv0 check reads ld.so's dynamic section with one pread, and is skipped when argv[0] is the path", () => {
    // strace -e pread64: the loader's own reads come before ld.so runs (its first openat of the program).
    const preads = (argv0: string) => {
      const r = run([
        'strace',
        '-qq',
        '-e',
        'trace=pread64,openat',
        LOADER,
        '--ld',
        GLIBC_LDSO,
        '--argv0',
        argv0,
        '--',
        './probe',
      ]);
      expect(r.status).toBe(0);
      expect(parseProbe(r.stdout).argv).toEqual([argv0]);
      const loaderPart = r.stderr.split('\n').slice(
        0,
        r.stderr.split('\n').findIndex((l) => l.startsWith('openat') && l.includes('"./probe", O_RDONLY|O_CLOEXEC')),
      );
      return loaderPart.filter((l) => l.startsWith('pread64(4,')).length;
    };
    // the head, then the dynamic section (not read through the mapping: a fault on a RELRO page)
    expect(preads('custom')).toBe(2);
    // argv[0] is what ld.so would pass anyway: no --argv0, no check
    expect(preads('./probe')).toBe(1);
  });

  it('--ld and --ld-fd choose the ld.so; the fd is closed before the program runs', () => {
    const byPath = parseProbe(run([LOADER, '--ld', GLIBC_LDSO, '--', './probe', 'a']).stdout);
    expect(byPath.argv).toEqual(['./probe', 'a']);
    const byFd = run(['bash', '-c', `exec 7<${GLIBC_LDSO}; exec ${LOADER} --ld-fd 7 -- ./probe b`]);
    expect(byFd.status).toBe(0);
    const p = parseProbe(byFd.stdout);
    expect(p.argv).toEqual(['./probe', 'b']);
    expect(p.fds).not.toContain(7);
    const musl = parseProbe(run([LOADER, '--ld', MUSL_LDSO, '--', './probe-musl', 'c']).stdout);
    expect(musl.argv).toEqual(['./probe-musl', 'c']);
  });

  it('--library-path reaches ld.so (a library found only there)', () => {
    // kind-origin finds lib/libkind.so through $ORIGIN; a copy elsewhere does not.
    const away = join(tempDir('binfmt-kind-origin-'), 'kind-origin');
    copyFileSync(fixture('kind-origin'), away);
    const bare = run([LOADER, '--', away]);
    expect(bare.status).not.toBe(0);
    const withPath = run([LOADER, '--library-path', fixture('lib'), '--', away]);
    expect(withPath.stdout).toBe('origin ok 42\n');
    expect(withPath.status).toBe(0);
  });

  it('a program named without a slash is still the file in the current directory, and keeps its argv[0]', () => {
    const r = run([LOADER, '--', 'probe', 'x']);
    expect(r.status).toBe(0);
    expect(parseProbe(r.stdout).argv).toEqual(['probe', 'x']);
  });

  it('enters with a 16-byte aligned stack for every parity of argv and environment size', () => {
    // The vector moves by an odd or even number of words depending on both.
    for (const name of ['probe', 'probe-static']) {
      for (let args = 0; args < 4; args++) {
        for (let envs = 0; envs < 3; envs++) {
          const argv = Array.from({ length: args }, (_, i) => `a${i}`);
          const env = Object.fromEntries(Array.from({ length: envs }, (_, i) => [`E${i}`, 'v']));
          for (const cmd of [
            [LOADER, '--', `./${name}`],
            [LOADER, '--argv0', 'n', '--', `./${name}`],
            [LOADER, '--library-path', '/x:/y', '--', `./${name}`],
          ]) {
            const r = run([...cmd, ...argv], { env });
            expect(r.status, `${cmd.join(' ')} ${args} args ${envs} env`).toBe(0);
            const p = parseProbe(r.stdout);
            expect(p.misalign).toBe(0);
            expect(p.argv.slice(1)).toEqual(argv);
            expect(p.env).toEqual([
              ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
              `${SELFEXEC_ENV}=${fixture(name)}`,
            ]);
          }
        }
      }
    }
  });

  it('leaves no writable and executable mapping, and ld.so mapped as the kernel maps it', () => {
    const maps = (cmd: string[]): string[] =>
      run([...cmd, '/bin/cat', '/proc/self/maps'])
        .stdout.trim()
        .split('\n');
    const viaLoader = maps([LOADER, '--']);
    expect(viaLoader.filter((l) => /^\S+ .wx/.test(l))).toEqual([]);
    expect(viaLoader.filter((l) => l.endsWith(LOADER)).map((l) => l.split(/\s+/)[1])).toEqual(['r-xp']);
    // ld.so's segments: same permissions and file offsets as when the kernel maps it.
    const ld = (lines: string[]): string[] =>
      lines.filter((l) => l.includes('/ld-linux-x86-64.so.2')).map((l) => l.split(/\s+/).slice(1, 3).join(' '));
    expect(ld(viaLoader)).toEqual(ld(maps([])));
  });

  it('usage errors are one line and exit 127', () => {
    for (const args of [[], ['--'], ['--bogus', '--', './probe'], ['--ld']]) {
      const r = run([LOADER, ...args]);
      expect(r.status).toBe(127);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^binfmt-loader: /);
    }
  });
});

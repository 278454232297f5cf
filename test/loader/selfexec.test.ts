/**
 * Self re-execution through the loader (native/loader/selfexec.h): a program
 * run through the loader that executes its own /proc/self/exe (a C program)
 * or process.execPath (node: spawnSync and child_process.fork) runs itself
 * again with its new arguments, in every mode: command mode; binfmt_misc with
 * flags none, P, O, PO; copies stamped as host-runtime (--ld-from-program
 * --root), with an embedded ld.so, and with a fixed ld.so path (sandbox).
 * A stale BINFMT_LOADER_EXE never takes over a real command or another
 * program's exec.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { needs, sandbox } from '../helpers/skip-gate.js';
import { cli, ROOT } from '../helpers/sandbox.js';
import { exec, register, sandboxedSteps } from '../helpers/steps.js';
import { GLIBC_LDSO, LOADER, SELFEXEC_ENV, buildFixtures, fixture, parseProbe, run } from './helpers.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('binfmt-selfexec-');
const REEXEC = join(tmp, 'reexec');
const REEXEC_SRC = join(ROOT, 'test', 'fixtures', 'selfexec', 'reexec.c');
const SCRIPT = join(ROOT, 'test', 'fixtures', 'selfexec', 'node-reexec.cjs');
const NODE = process.execPath;
const C_OUT = 'again argv0=myself x y z\n';
const NODE_OUT = 'spawnSync status=0 child a b c\nfork forked d\nfork status=0\n';

beforeAll(() => {
  buildFixtures();
  for (const [cc, out, extra] of [
    ['gcc', REEXEC, []],
    ['gcc', `${REEXEC}-static`, ['-static']],
    ['musl-gcc', `${REEXEC}-musl`, []],
  ] as const) {
    const r = spawnSync(cc, ['-O2', ...extra, '-o', out, REEXEC_SRC], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cc}: ${r.stderr}`);
  }
});

describe('self re-execution, command mode', () => {
  it('a C program that execs /proc/self/exe runs itself again with its new argv (glibc, static, musl)', () => {
    for (const prog of [REEXEC, `${REEXEC}-static`, `${REEXEC}-musl`]) {
      const r = run([LOADER, '--', prog]);
      expect(r.stderr, prog).toBe('');
      expect(r.stdout, prog).toBe(C_OUT);
    }
  });

  it('node: spawnSync(process.execPath) and child_process.fork run the script', () => {
    const r = run([LOADER, '--', NODE, SCRIPT], { env: { PATH: process.env.PATH } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(NODE_OUT);
  });

  it('a stale value never takes over a real command (options or --), nor a direct exec of another program', () => {
    const env = { PATH: process.env.PATH, PROBE: 'yes', [SELFEXEC_ENV]: '/bin/false' };
    const p = parseProbe(run([LOADER, '--', './probe', 'a'], { env }).stdout);
    expect(p.argv).toEqual(['./probe', 'a']);
    // Replaced, not added: the program's own path.
    expect(p.env.filter((e) => e.startsWith(`${SELFEXEC_ENV}=`))).toEqual([`${SELFEXEC_ENV}=${fixture('probe')}`]);
    expect(parseProbe(run([LOADER, '--argv0', 'n', '--', './probe'], { env }).stdout).argv).toEqual(['n']);
    // The loader named by another path than /proc/self/exe's file: only a
    // loader executed as itself reads the variable, so this is a command.
    expect(parseProbe(run(['./probe', 'b'], { env }).stdout).argv).toEqual(['./probe', 'b']);
  });

  it('long paths and long cwds (beyond the inline room and the stack buffer) are named whole', () => {
    // 600-byte directory: the entry goes to the scratch area, and so does the cwd of a relative path.
    const deep = join(tmp, 'd'.repeat(200), 'e'.repeat(200), 'f'.repeat(200));
    mkdirSync(deep, { recursive: true });
    copyFileSync(fixture('probe'), join(deep, 'probe'));
    copyFileSync(REEXEC, join(deep, 'reexec'));
    for (const path of [join(deep, 'probe'), './probe', 'probe']) {
      const p = parseProbe(run([LOADER, '--', path, 'x'], { cwd: deep }).stdout);
      expect(p.argv).toEqual([path, 'x']);
      expect(p.env.filter((e) => e.startsWith(`${SELFEXEC_ENV}=`))).toEqual([`${SELFEXEC_ENV}=${join(deep, 'probe')}`]);
    }
    expect(run([LOADER, '--', './reexec'], { cwd: deep }).stdout).toBe(C_OUT);
  });

  it('without the variable (a scrubbed environment) a direct exec is a command again', () => {
    const r = spawnSync(LOADER, ['again'], { encoding: 'utf8', env: {} });
    expect(r.status).toBe(127);
    expect(r.stderr).toBe('binfmt-loader: again: cannot open: ENOENT\n');
  });
});

describe('self re-execution as a binfmt_misc interpreter (sandbox)', needs(sandbox()), () => {
  /** name, interpreter (the unstamped loader or a stamped copy), flags. */
  const modes: [string, string, string][] = [];

  beforeAll(() => {
    const stamp = (name: string, args: string[]) => {
      const out = join(tmp, name);
      const r = cli(['loader', 'stamp', '--out', out, ...args]);
      if (r.status !== 0) throw new Error(r.stderr);
      return out;
    };
    modes.push(
      ['none', LOADER, ''],
      ['P', LOADER, 'P'],
      ['O', LOADER, 'O'],
      ['PO', LOADER, 'PO'],
      ['host-runtime PF', stamp('hr', ['--ld-from-program', '--root', '/run/host', '--entry-flags', 'PF']), 'PF'],
      ['embedded POF', stamp('emb', ['--embed-ld', GLIBC_LDSO, '--entry-flags', 'POF']), 'POF'],
      ['fixed ld.so PF', stamp('fix', ['--ld', GLIBC_LDSO, '--entry-flags', 'PF']), 'PF'],
    );
  });

  it('C (/proc/self/exe) and node (spawnSync, fork) run themselves again in every mode', () => {
    const d = tempDir('selfexec-modes-');
    const r = sandboxedSteps(
      modes.flatMap(([, interp, flags], i) => {
        symlinkSync(REEXEC, join(d, `reexec.se${i}`));
        symlinkSync(NODE, join(d, `node.se${i}`));
        return [
          register(`:se${i}:E::se${i}::${interp}:${flags}\n`),
          exec([`./reexec.se${i}`], { cwd: d, env: {} }),
          exec([`./node.se${i}`, SCRIPT], { cwd: d, env: {} }),
        ];
      }),
    );
    modes.forEach(([name], i) => {
      const [c, node] = [r[3 * i + 1]!, r[3 * i + 2]!];
      expect({ stdout: c.stdout, stderr: c.stderr }, `${name}: C`).toEqual({ stdout: C_OUT, stderr: '' });
      expect({ stdout: node.stdout, stderr: node.stderr }, `${name}: node`).toEqual({ stdout: NODE_OUT, stderr: '' });
    });
  });

  it('a stale value never takes over another program run through an entry without O or P, nor a #! script', () => {
    const d = tempDir('selfexec-stale-');
    symlinkSync(fixture('probe'), join(d, 'probe.st'));
    writeFileSync(join(d, 'script'), `#!${d}/probe.st\n`);
    chmodSync(join(d, 'script'), 0o755);
    const env = { PROBE: 'yes', [SELFEXEC_ENV]: REEXEC };
    const r = sandboxedSteps([
      register(`:st:E::st::${LOADER}:\n`),
      exec(['./probe.st', 'a'], { cwd: d, env }),
      exec(['./script', 'b'], { cwd: d, env }),
    ]).slice(1);
    expect(r.map((step) => step.stderr).join('')).toBe('');
    const argv = r.map((step) =>
      step.stdout
        .match(/"argv":\[[^\]]*\]/g)
        ?.join('\n')
        .replaceAll(d, 'D'),
    );
    expect(argv).toEqual(['"argv":["./probe.st","a"]', '"argv":["D/probe.st","./script","b"]']);
  });
});

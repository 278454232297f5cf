/**
 * binfmt apply against a real kernel, each case in a fresh private
 * binfmt_misc instance: make-before-break under load, rollback, ownership,
 * idempotence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxedScript, ROOT, MOUNT, CLI } from '../helpers/sandbox.js';
import { binfmt, entries, must, register, run, sandboxedSteps, write, type Step } from '../helpers/steps.js';
import { needs, sandbox, command } from '../helpers/skip-gate.js';
import { tempDir } from '../helpers/tmp.js';

const EXEC_LOOP = join(ROOT, 'build', 'test', 'exec-loop');
const EXEC_LOOP_SRC = join(ROOT, 'test', 'ops', 'exec-loop.c');
const CHURN = join(ROOT, 'test', 'ops', 'churn.mjs');

function configRoot(files: Record<string, string>): string {
  const root = tempDir('apply-root-');
  mkdirSync(join(root, 'etc/binfmt.d'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'etc/binfmt.d', name), text);
  return root;
}

const conf = (root: string, name: string): string => join(root, 'etc/binfmt.d', name);
/** An ordinary file that serves as an F entry's interpreter, deleted or not by the test. */
function interpreter(): string {
  const path = join(tempDir('interp-'), 'old');
  copyFileSync('/bin/true', path);
  return path;
}

/**
 * `step` (a binfmt run) while `path` is open for writing: the kernel's F open
 * (open_exec) then fails with ETXTBSY, a refusal no plan foresees.
 */
function writing(path: string, step: Step): Step {
  if (!('argv' in step)) throw new Error('writing: not a program step');
  return { ...step, argv: ['sh', '-c', 'exec 3>>"$0"; exec "$@"', path, ...step.argv] };
}

/** Runs exec-loop on a matching file while churn.mjs changes the entry `rounds` times; returns [execs, failures]. */
function underLoad(mode: 'apply' | 'delete-then-add', rounds: number): [number, number] {
  const root = configRoot({});
  const script = new URL('scripts/under-load.sh', import.meta.url);
  const r = sandboxedScript(script, [CHURN, EXEC_LOOP, mode, String(rounds), root]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const [execs, failures] = r.stdout.trim().split(' ').map(Number);
  return [execs!, failures!];
}

describe('binfmt apply in a private instance', needs(sandbox()), () => {
  beforeAll(() => {
    if (existsSync(EXEC_LOOP) && statSync(EXEC_LOOP).mtimeMs > statSync(EXEC_LOOP_SRC).mtimeMs) return;
    mkdirSync(join(ROOT, 'build', 'test'), { recursive: true });
    execFileSync('gcc', ['-O2', '-o', EXEC_LOOP, EXEC_LOOP_SRC]);
  });

  it('make-before-break: no exec fails while apply changes an entry 300 times; delete-then-add does fail', () => {
    const [execs, failures] = underLoad('apply', 300);
    expect(execs).toBeGreaterThan(100);
    expect(failures).toBe(0);
    const [cExecs, cFailures] = underLoad('delete-then-add', 3000);
    if (process.env.SHOW_LOAD)
      console.log({
        apply: { rounds: 300, execs, failures },
        deleteThenAdd: { rounds: 3000, execs: cExecs, failures: cFailures },
      });
    expect(cExecs).toBeGreaterThan(100);
    expect(cFailures).toBeGreaterThan(0);
  });

  it('is idempotent: a second apply plans and performs nothing', () => {
    const root = configRoot({
      'a.conf': ':a:E::aa::/bin/sh:\n:b:M::BB::/bin/true:\n',
      'b.conf': ':c:E::cc::/bin/echo:P\n',
    });
    const apply = ['apply', '--config-root', root, '--state-dir', tempDir('state-')];
    const [, r] = sandboxedSteps([must(binfmt(...apply)), binfmt(...apply, '--json')]);
    expect(r!.status).toBe(0);
    const out = JSON.parse(r!.stdout);
    expect(out.steps).toEqual([]);
    expect(out.unchanged).toEqual(['a', 'b', 'c']);
    expect(out.applied).toBe(true);
  });

  it('--atomic rolls the whole batch back when one entry fails in the kernel', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n:b:E::bb::/bin/true:\n' });
    const apply = ['apply', '--config-root', root, '--state-dir', tempDir('state-')];
    const busy = interpreter();
    const [, , , atomic, listed, a] = sandboxedSteps([
      must(binfmt(...apply)),
      run('sed', '-i', 's/aa/changed/', conf(root, 'a.conf')),
      write(conf(root, 'z.conf'), `:c:E::cc::${busy}:F\n`),
      writing(busy, binfmt(...apply, '--atomic', '--json')),
      entries(),
      run('cat', `${MOUNT}/a`),
    ]);
    expect(atomic!.status).toBe(1);
    const out = JSON.parse(atomic!.stdout);
    expect(out.applied).toBe(false);
    expect(out.failure.code).toBe('ETXTBSY');
    expect(out.failure.step).toMatch(/^register c:/);
    expect(out.rolledBack.length).toBeGreaterThan(0);
    expect(out.rollbackFailures).toEqual([]);
    // as before the failed apply: a keeps its old definition, no temporary names are left
    const names = listed!.stdout.split('\n').filter(Boolean);
    expect(names.sort()).toEqual(['a', 'b', 'register', 'status']);
    expect(a!.stdout).toContain('extension .aa');
    expect(out.mode).toBe('atomic');
    // no plan foresaw it: the interpreter is there, only open for writing
    expect(out.refused).toEqual([]);
  });

  it('--atomic makes no kernel operation when the plan foresees a refusal, on every run', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const apply = ['apply', '--config-root', root, '--state-dir', tempDir('state-')];
    const [, , first, second, listed] = sandboxedSteps([
      must(binfmt(...apply)),
      write(conf(root, 'z.conf'), ':b:E::bb::/bin/true:\n:c:E::cc::/nonexistent/interpreter:F\n'),
      binfmt(...apply, '--atomic'),
      binfmt(...apply, '--atomic', '--json'),
      entries(),
    ]);
    expect(first!.status).toBe(1);
    expect(first!.stdout).toMatch(
      /^failed: register c: .*\/nonexistent\/interpreter.*\(ENOENT\); nothing was done\nno step was carried out; the instance is as before\n$/,
    );
    const out = JSON.parse(second!.stdout);
    expect([out.applied, out.done, out.rolledBack]).toEqual([false, [], []]);
    const message = expect.stringContaining('/nonexistent/interpreter');
    expect(out.refused).toEqual([{ name: 'c', source: `${root}/etc/binfmt.d/z.conf:2`, errno: 'ENOENT', message }]);
    expect(listed!.stdout.split('\n').filter(Boolean).sort()).toEqual(['a', 'register', 'status']);
  });

  it('by default skips what the kernel refuses, as systemd-binfmt at boot: reported, the rest applied, exit 1', () => {
    const old = interpreter();
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n', 'b.conf': `:b:E::bb::${old}:F\n` });
    const state = ['--config-root', root, '--state-dir', tempDir('state-')];
    const [, , , , plan, apply, listed, after, next] = sandboxedSteps([
      must(binfmt('apply', ...state)),
      // b's new definition and the new c name interpreters that do not exist: both refused, a changes
      run('sed', '-i', 's/aa/changed/', conf(root, 'a.conf')),
      write(conf(root, 'b.conf'), ':b:E::bb::/nonexistent/new:F\n'),
      write(conf(root, 'z.conf'), ':c:E::cc::/nonexistent/interpreter:F\n:d:E::dd::/bin/sh:\n'),
      binfmt('plan', ...state),
      binfmt('apply', ...state),
      entries(),
      run('grep', '-h', '-e', 'extension', '-e', 'interpreter', `${MOUNT}/a`, `${MOUNT}/b`),
      binfmt('plan', ...state, '--json'),
    ]);
    expect([plan!.status, apply!.status]).toEqual([1, 1]);
    expect(plan!.stdout).toMatch(
      /add {8}c {2}\(.*z\.conf:1\)\n {4}will be refused by the kernel \(ENOENT\): F: .*\/nonexistent\/interpreter/,
    );
    expect(apply!.stdout).toMatch(/applied: 1 added, 1 changed, 0 removed, 0 unchanged, 2 refused by the kernel/);
    for (const [file, name] of [
      ['z', 'c'],
      ['b', 'b'],
    ]) {
      const said = `${root}/etc/binfmt.d/${file}\\.conf:1: error: '${name}': refused by the kernel \\(ENOENT\\): .*; skipped`;
      expect(apply!.stderr).toMatch(new RegExp(said));
    }
    // a changed, d added; c never registered; b keeps its old, working definition; no temporary names
    expect(listed!.stdout.trim().split('\n').sort()).toEqual(['a', 'b', 'd', 'register', 'status']);
    expect(after!.stdout).toMatch(
      /^interpreter \/bin\/sh\nextension \.changed\ninterpreter \/tmp\/.*\/old\nextension \.bb\n/,
    );
    // the next plan still wants c and b, and still owns b: a refused change is not taken as someone else's
    const wanted = JSON.parse(next!.stdout);
    expect({ add: wanted.add, change: wanted.change, unchanged: wanted.unchanged, conflict: wanted.conflict }).toEqual({
      add: ['c'],
      change: ['b'],
      unchanged: ['a', 'd'],
      conflict: [],
    });
  });

  it('never says "rolled back" when an undo step failed', () => {
    // a's old definition is F with an interpreter deleted after registering: the entry still works (the
    // kernel holds the file open), but registering it again, as the undo of its change must, is ENOENT.
    const failingUndo = (...json: string[]): { status: number | null; stdout: string } => {
      const old = interpreter();
      const busy = interpreter();
      const root = configRoot({ 'a.conf': `:a:E::aa::${old}:F\n` });
      const apply = ['apply', '--config-root', root, '--state-dir', tempDir('state-')];
      const steps = sandboxedSteps([
        must(binfmt(...apply)),
        run('rm', old),
        write(conf(root, 'a.conf'), ':a:E::aa::/bin/sh:\n'),
        write(conf(root, 'z.conf'), `:z:E::zz::${busy}:F\n`),
        writing(busy, binfmt(...apply, '--atomic', ...json)),
      ]);
      return steps.at(-1)!;
    };
    const text = failingUndo();
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(
      /^failed: register z: .*ETXTBSY.*\nrollback incomplete \(3 of 4 undo steps done\): register a: undo: .*; the instance may be left changed\n$/,
    );
    expect(text.stdout).not.toMatch(/rolled back/);
    const out = JSON.parse(failingUndo('--json').stdout);
    expect(out.applied).toBe(false);
    expect(out.rolledBack).toHaveLength(3);
    const step = expect.stringMatching(/^register a: undo: change a/);
    expect(out.rollbackFailures).toEqual([{ step, code: 'ENOENT', message: expect.any(String) }]);
  });

  it('never removes a foreign entry, even with --prune; removes its own ones no longer configured', () => {
    const root = configRoot({ 'a.conf': ':mine:E::mine::/bin/sh:\n:gone:E::gone::/bin/sh:\n' });
    const state = ['--config-root', root, '--state-dir', tempDir('state-')];
    const [, , , plan, , after] = sandboxedSteps([
      must(register(':WSLInterop:M::MZ::/bin/sh:P')),
      must(binfmt('apply', ...state)),
      write(conf(root, 'a.conf'), ':mine:E::mine::/bin/sh:\n'),
      binfmt('plan', ...state, '--prune', '--json'),
      must(binfmt('apply', ...state, '--prune')),
      entries(),
    ]);
    expect(plan!.status).toBe(0);
    const planned = JSON.parse(plan!.stdout);
    expect({ add: planned.add, remove: planned.remove, change: planned.change, unchanged: planned.unchanged }).toEqual({
      add: [],
      remove: ['gone'],
      change: [],
      unchanged: ['mine'],
    });
    expect(after!.stdout.split('\n').filter(Boolean)).toEqual(['mine', 'WSLInterop', 'register', 'status']);
  });

  it('refuses to take over a same-named entry someone else registered differently, unless --force', () => {
    const root = configRoot({ 'a.conf': ':theirs:E::new::/bin/sh:\n:ok:E::ok::/bin/sh:\n' });
    const state = ['--config-root', root, '--state-dir', tempDir('state-')];
    const theirs = run('grep', 'extension', `${MOUNT}/theirs`);
    const [, apply, before, listed, forced, after] = sandboxedSteps([
      register(':theirs:E::old::/bin/true:'),
      binfmt('apply', ...state),
      theirs,
      entries(),
      binfmt('apply', ...state, '--force'),
      theirs,
    ]);
    expect([apply!.status, before!.stdout, forced!.status, after!.stdout]).toEqual([
      1,
      'extension .old\n',
      0,
      'extension .new\n',
    ]);
    expect(listed!.stdout.split('\n')).toContain('ok');
    expect(apply!.stderr).toMatch(
      /a\.conf:1: error: 'theirs' is registered by someone else with a different definition/,
    );
  });

  it(
    'recovers from a crash in the middle of a change: the next apply finishes it and removes the temporary entry',
    needs(command('strace', '-V')),
    () => {
      const root = configRoot({ 'a.conf': ':x:E::xx::/bin/true:\n' });
      const state = ['--config-root', root, '--state-dir', tempDir('state-')];
      // SIGKILL when apply opens x for writing (the "remove old x" step, after x.binfmt-tmp is registered)
      const strace = ['strace', '-f', '-o', '/dev/null', '-P', `${MOUNT}/x`, '-e', 'trace=openat'];
      const kill = ['-e', 'inject=openat:signal=KILL:when=2'];
      const [, , crashed, left, next, after, x] = sandboxedSteps([
        must(binfmt('apply', ...state)),
        run('sed', '-i', 's/true/echo/', conf(root, 'a.conf')),
        run(...strace, ...kill, process.execPath, CLI, 'apply', ...state),
        entries(),
        must(binfmt('apply', ...state, '--json')),
        entries(),
        run('grep', 'interpreter', `${MOUNT}/x`),
      ]);
      const names = (listed: string): string => listed.split('\n').join(' ');
      expect([crashed!.signal, names(left!.stdout), names(after!.stdout), x!.stdout]).toEqual([
        'SIGKILL',
        'x.binfmt-tmp x register status ',
        'x register status ',
        'interpreter /bin/echo\n',
      ]);
      const out = JSON.parse(next!.stdout);
      expect({ change: out.change, remove: out.remove }).toEqual({ change: ['x'], remove: ['x.binfmt-tmp'] });
    },
  );

  it('one binfmt at a time: a live lock holder makes apply refuse; once it is gone apply goes on', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const r = sandboxedScript(new URL('scripts/lock-held.sh', import.meta.url), [root]);
    const state = ['proc-sys-fs-binfmt_misc.json', 'proc-sys-fs-binfmt_misc.json.lock'];
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['rc=1', 'rc=0', ...state, 'a']);
    expect(r.stderr).toMatch(
      /another binfmt \(pid \d+\) is changing \/proc\/sys\/fs\/binfmt_misc; try again when it is done/,
    );
  });

  it('ownership recorded for one instance means nothing in the next, even when the device number is reused', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const state = tempDir('state-');
    const [first] = sandboxedSteps([binfmt('apply', '--config-root', root, '--state-dir', state)]);
    expect(first!.status).toBe(0);
    const empty = configRoot({});
    const [, apply, listed] = sandboxedSteps([
      must(register(':a:E::aa::/bin/sh:')),
      binfmt('apply', '--config-root', empty, '--state-dir', state, '--prune'),
      entries(),
    ]);
    expect(listed!.stdout.split('\n')).toContain('a');
    expect(apply!.stderr).toMatch(/recorded for another binfmt_misc instance/);
  });

  it('--dry-run changes nothing', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const state = tempDir('state-');
    const [dry, listed, kept] = sandboxedSteps([
      binfmt('apply', '--config-root', root, '--state-dir', state, '--dry-run', '--json'),
      entries(),
      run('ls', state),
    ]);
    expect(dry!.status).toBe(0);
    expect(JSON.parse(dry!.stdout).add).toEqual(['a']);
    expect(listed!.stdout).toBe('register\nstatus\n');
    expect(kept!.stdout).toBe('');
  });
});

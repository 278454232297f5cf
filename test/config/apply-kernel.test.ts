/**
 * binfmt apply against a real kernel, each case in a fresh private
 * binfmt_misc instance: make-before-break under load, rollback, ownership,
 * idempotence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxed, ROOT, MOUNT } from '../helpers/sandbox.js';
import { needs, sandbox, command } from '../helpers/skip-gate.js';

const EXEC_LOOP = join(ROOT, 'build', 'test', 'exec-loop');
const EXEC_LOOP_SRC = join(ROOT, 'test', 'config', 'exec-loop.c');
const CHURN = join(ROOT, 'test', 'config', 'churn.mjs');

function configRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'apply-root-'));
  mkdirSync(join(root, 'etc/binfmt.d'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'etc/binfmt.d', name), text);
  return root;
}

/** Runs exec-loop on a matching file while churn.mjs changes the entry `rounds` times; returns [execs, failures]. */
function underLoad(mode: 'apply' | 'delete-then-add', rounds: number): [number, number] {
  const root = configRoot({});
  const r = sandboxed(
    [
      'set -e',
      'S=$(mktemp -d); W=$(mktemp -d)',
      `printf 'not a native executable\\n' > $W/x.bfe; chmod +x $W/x.bfe`,
      `node ${CHURN} ${mode} 1 ${root} $S >/dev/null`,
      `${EXEC_LOOP} $W/x.bfe $W/stop > $W/out & loop=$!`,
      'sleep 0.2',
      `node ${CHURN} ${mode} ${rounds} ${root} $S >/dev/null`,
      'touch $W/stop; wait $loop; cat $W/out',
    ].join('\n'),
  );
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
    const r = sandboxed(
      `S=$(mktemp -d); $CLI apply --config-root ${root} --state-dir $S >/dev/null && $CLI apply --config-root ${root} --state-dir $S --json`,
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.steps).toEqual([]);
    expect(out.unchanged).toEqual(['a', 'b', 'c']);
    expect(out.applied).toBe(true);
  });

  it('--atomic rolls the whole batch back when one entry fails in the kernel', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n:b:E::bb::/bin/true:\n' });
    const bad = ':c:E::cc::/nonexistent/interpreter:F\n';
    const r = sandboxed(
      [
        'S=$(mktemp -d)',
        `$CLI apply --config-root ${root} --state-dir $S >/dev/null || exit 9`,
        `sed -i 's/aa/changed/' ${root}/etc/binfmt.d/a.conf`,
        `printf '${bad}' > ${root}/etc/binfmt.d/z.conf`,
        `$CLI apply --config-root ${root} --state-dir $S --atomic --json > $S/out; echo "rc=$?"`,
        `cat $S/out; echo ===; ls -U ${MOUNT}; echo ---; cat ${MOUNT}/a`,
      ].join('\n'),
    );
    const [rc, rest] = r.stdout.split('\n', 1)[0]!.startsWith('rc=')
      ? [r.stdout.split('\n')[0], r.stdout.slice(r.stdout.indexOf('\n') + 1)]
      : ['', r.stdout];
    expect(rc).toBe('rc=1');
    const [json, after] = rest!.split('===\n');
    const out = JSON.parse(json!);
    expect(out.applied).toBe(false);
    expect(out.failure.code).toBe('ENOENT');
    expect(out.failure.step).toMatch(/^register c:/);
    expect(out.rolledBack.length).toBeGreaterThan(0);
    expect(out.rollbackFailures).toEqual([]);
    // as before the failed apply: a keeps its old definition, no temporary names are left
    const names = after!.split('---')[0]!.split('\n').filter(Boolean);
    expect(names.sort()).toEqual(['a', 'b', 'register', 'status']);
    expect(after).toContain('extension .aa');
    expect(out.mode).toBe('atomic');
    const message = expect.stringContaining('/nonexistent/interpreter');
    expect(out.refused).toEqual([{ name: 'c', source: `${root}/etc/binfmt.d/z.conf:1`, errno: 'ENOENT', message }]);
  });

  it('by default skips what the kernel refuses, as systemd-binfmt at boot: reported, the rest applied, exit 1', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const r = sandboxed(
      [
        'S=$(mktemp -d); I=$(mktemp -d)',
        `cp /bin/true $I/old; printf ':b:E::bb::'$I'/old:F\\n' > ${root}/etc/binfmt.d/b.conf`,
        `$CLI apply --config-root ${root} --state-dir $S >/dev/null || exit 9`,
        // b's new definition and the new c name interpreters that do not exist: both refused, a changes
        `sed -i 's/aa/changed/' ${root}/etc/binfmt.d/a.conf`,
        `printf ':b:E::bb::/nonexistent/new:F\\n' > ${root}/etc/binfmt.d/b.conf`,
        `printf ':c:E::cc::/nonexistent/interpreter:F\\n:d:E::dd::/bin/sh:\\n' > ${root}/etc/binfmt.d/z.conf`,
        `$CLI plan --config-root ${root} --state-dir $S > $S/plan; echo "plan rc=$?"`,
        `$CLI apply --config-root ${root} --state-dir $S > $S/out; echo "rc=$?"`,
        'cat $S/plan; echo ===; cat $S/out; echo ===',
        `ls -U ${MOUNT} | tr "\\n" " "; echo; grep -h -e extension -e interpreter ${MOUNT}/a ${MOUNT}/b`,
        `$CLI plan --config-root ${root} --state-dir $S --json`,
      ].join('\n'),
    );
    const [plan, out, after] = r.stdout.split(/\n?===\n/) as [string, string, string];
    expect(plan.split('\n').slice(0, 2)).toEqual(['plan rc=1', 'rc=1']);
    expect(plan).toMatch(
      /add {8}c {2}\(.*z\.conf:1\)\n {4}will be refused by the kernel \(ENOENT\): F: .*\/nonexistent\/interpreter/,
    );
    expect(out).toMatch(/applied: 1 added, 1 changed, 0 removed, 0 unchanged, 2 refused by the kernel/);
    for (const [file, name] of [
      ['z', 'c'],
      ['b', 'b'],
    ]) {
      const said = `${root}/etc/binfmt.d/${file}\\.conf:1: error: '${name}': refused by the kernel \\(ENOENT\\): .*; skipped`;
      expect(r.stderr).toMatch(new RegExp(said));
    }
    const [names, rest] = [after.split('\n')[0]!, after.slice(after.indexOf('\n') + 1)];
    // a changed, d added; c never registered; b keeps its old, working definition; no temporary names
    expect(names.trim().split(' ').sort()).toEqual(['a', 'b', 'd', 'register', 'status']);
    expect(rest).toMatch(/^interpreter \/bin\/sh\nextension \.changed\ninterpreter \/tmp\/.*\/old\nextension \.bb\n/);
    // the next plan still wants c and b, and still owns b: a refused change is not taken as someone else's
    const next = JSON.parse(rest.slice(rest.indexOf('{')));
    expect({ add: next.add, change: next.change, unchanged: next.unchanged, conflict: next.conflict }).toEqual({
      add: ['c'],
      change: ['b'],
      unchanged: ['a', 'd'],
      conflict: [],
    });
  });

  it('never says "rolled back" when an undo step failed', () => {
    // a's old definition is F with an interpreter deleted after registering: the entry still works (the
    // kernel holds the file open), but registering it again, as the undo of its change must, is ENOENT.
    const failingUndo = (json: string): string => {
      const root = configRoot({});
      return sandboxed(
        [
          'S=$(mktemp -d); I=$(mktemp -d)',
          `cp /bin/true $I/old; printf ':a:E::aa::'$I'/old:F\\n' > ${root}/etc/binfmt.d/a.conf`,
          `$CLI apply --config-root ${root} --state-dir $S >/dev/null || exit 9`,
          'rm $I/old',
          `printf ':a:E::aa::/bin/sh:\\n' > ${root}/etc/binfmt.d/a.conf`,
          `printf ':z:E::zz::/nonexistent/interpreter:F\\n' > ${root}/etc/binfmt.d/z.conf`,
          `$CLI apply --config-root ${root} --state-dir $S --atomic ${json}; echo "rc=$?"`,
        ].join('\n'),
      ).stdout;
    };
    const text = failingUndo('');
    expect(text).toMatch(
      /^failed: register z: .*\(ENOENT\)\nrollback incomplete \(3 of 4 undo steps done\): register a: undo: .*; the instance may be left changed\nrc=1\n$/,
    );
    expect(text).not.toMatch(/rolled back/);
    const out = JSON.parse(failingUndo('--json').replace(/rc=\d+\n$/, ''));
    expect(out.applied).toBe(false);
    expect(out.rolledBack).toHaveLength(3);
    const step = expect.stringMatching(/^register a: undo: change a/);
    expect(out.rollbackFailures).toEqual([{ step, code: 'ENOENT', message: expect.any(String) }]);
  });

  it('never removes a foreign entry, even with --prune; removes its own ones no longer configured', () => {
    const root = configRoot({ 'a.conf': ':mine:E::mine::/bin/sh:\n:gone:E::gone::/bin/sh:\n' });
    const r = sandboxed(
      [
        'S=$(mktemp -d)',
        `printf ':WSLInterop:M::MZ::/bin/sh:P' > ${MOUNT}/register || exit 7`,
        `$CLI apply --config-root ${root} --state-dir $S >/dev/null || exit 9`,
        `printf ':mine:E::mine::/bin/sh:\\n' > ${root}/etc/binfmt.d/a.conf`,
        `$CLI plan --config-root ${root} --state-dir $S --prune --json`,
        `$CLI apply --config-root ${root} --state-dir $S --prune >/dev/null || exit 8`,
        `echo ===; ls -U ${MOUNT}`,
      ].join('\n'),
    );
    expect(r.status).toBe(0);
    const [json, after] = r.stdout.split('===\n');
    const plan = JSON.parse(json!);
    expect({ add: plan.add, remove: plan.remove, change: plan.change, unchanged: plan.unchanged }).toEqual({
      add: [],
      remove: ['gone'],
      change: [],
      unchanged: ['mine'],
    });
    expect(after!.split('\n').filter(Boolean)).toEqual(['mine', 'WSLInterop', 'register', 'status']);
  });

  it('refuses to take over a same-named entry someone else registered differently, unless --force', () => {
    const root = configRoot({ 'a.conf': ':theirs:E::new::/bin/sh:\n:ok:E::ok::/bin/sh:\n' });
    const r = sandboxed(
      [
        'S=$(mktemp -d)',
        `printf ':theirs:E::old::/bin/true:' > ${MOUNT}/register`,
        `$CLI apply --config-root ${root} --state-dir $S >/dev/null; echo "rc=$?"`,
        `grep extension ${MOUNT}/theirs; ls ${MOUNT} | grep -x ok`,
        `$CLI apply --config-root ${root} --state-dir $S --force >/dev/null; echo "rc=$?"`,
        `grep extension ${MOUNT}/theirs`,
      ].join('\n'),
    );
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['rc=1', 'extension .old', 'ok', 'rc=0', 'extension .new']);
    expect(r.stderr).toMatch(/a\.conf:1: error: 'theirs' is registered by someone else with a different definition/);
  });

  it(
    'recovers from a crash in the middle of a change: the next apply finishes it and removes the temporary entry',
    needs(command('strace', '-V')),
    () => {
      const root = configRoot({ 'a.conf': ':x:E::xx::/bin/true:\n' });
      const r = sandboxed(
        [
          'S=$(mktemp -d)',
          `$CLI apply --config-root ${root} --state-dir $S >/dev/null || exit 9`,
          `sed -i s/true/echo/ ${root}/etc/binfmt.d/a.conf`,
          // SIGKILL when apply opens x for writing (the "remove old x" step, after x.binfmt-tmp is registered)
          `strace -f -o /dev/null -P ${MOUNT}/x -e trace=openat -e inject=openat:signal=KILL:when=2 $CLI apply --config-root ${root} --state-dir $S`,
          'echo "rc=$?"',
          `ls -U ${MOUNT} | tr "\\n" " "; echo`,
          `$CLI apply --config-root ${root} --state-dir $S --json > $S/out || exit 8`,
          `ls -U ${MOUNT} | tr "\\n" " "; echo`,
          `grep interpreter ${MOUNT}/x`,
          'cat $S/out',
        ].join('\n'),
      );
      const lines = r.stdout.split('\n');
      expect(lines.slice(0, 5)).toEqual([
        'rc=137',
        'x.binfmt-tmp x register status ',
        'x register status ',
        'interpreter /bin/echo',
        '{',
      ]);
      const out = JSON.parse(lines.slice(4).join('\n'));
      expect({ change: out.change, remove: out.remove }).toEqual({ change: ['x'], remove: ['x.binfmt-tmp'] });
    },
  );

  it('one binfmt at a time: a live lock holder makes apply refuse; once it is gone apply goes on', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const r = sandboxed(
      [
        'S=$(mktemp -d); L=$S/proc-sys-fs-binfmt_misc.json.lock',
        // flock(1) takes the same flock(2) lock (-o: only flock itself holds it); it writes a pid as binfmt does
        "flock -o $L sh -c 'echo $$ > $0; exec sleep 30' $L & holder=$!",
        'while [ ! -s $L ]; do sleep 0.05; done',
        `$CLI apply --config-root ${root} --state-dir $S; echo "rc=$?"`,
        'kill $holder; wait $holder 2>/dev/null',
        `$CLI apply --config-root ${root} --state-dir $S >/dev/null; echo "rc=$?"`,
        `ls $S; ls ${MOUNT} | grep -x a`,
      ].join('\n'),
    );
    const state = ['proc-sys-fs-binfmt_misc.json', 'proc-sys-fs-binfmt_misc.json.lock'];
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['rc=1', 'rc=0', ...state, 'a']);
    expect(r.stderr).toMatch(
      /another binfmt \(pid \d+\) is changing \/proc\/sys\/fs\/binfmt_misc; try again when it is done/,
    );
  });

  it('ownership recorded for one instance means nothing in the next, even when the device number is reused', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const state = mkdtempSync(join(tmpdir(), 'state-'));
    expect(sandboxed(`$CLI apply --config-root ${root} --state-dir ${state} >/dev/null`).status).toBe(0);
    const empty = configRoot({});
    const r = sandboxed(
      `printf ':a:E::aa::/bin/sh:' > ${MOUNT}/register && $CLI apply --config-root ${empty} --state-dir ${state} --prune >/dev/null; ls ${MOUNT} | grep -x a`,
    );
    expect(r.stdout).toBe('a\n');
    expect(r.stderr).toMatch(/recorded for another binfmt_misc instance/);
  });

  it('--dry-run changes nothing', () => {
    const root = configRoot({ 'a.conf': ':a:E::aa::/bin/sh:\n' });
    const r = sandboxed(
      `S=$(mktemp -d); $CLI apply --config-root ${root} --state-dir $S --dry-run --json; ls -U ${MOUNT}; ls $S | wc -l`,
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('}') + 1)).add).toEqual(['a']);
    expect(r.stdout.trim().split('\n').slice(-3)).toEqual(['register', 'status', '0']);
  });
});

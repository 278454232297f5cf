/**
 * What a new user meets, driven through the INSTALLED package (npm pack, then
 * npm install -g --prefix TMP), as root and as an ordinary user (uid 1000 in a
 * sandbox that maps ids 0..65535), every kernel change in a private sandbox.
 * One describe per item of issue 10; item 10 (the walkthroughs typed into the
 * installed package) is test/docs/transcripts.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, must, run, sandboxedSteps, type Step, type StepRun } from '../helpers/steps.js';
import { needs, root, sandbox, sandboxUsers } from '../helpers/skip-gate.js';
import { installed, removeScratch, scratchDir, type Installed } from '../helpers/installed.js';
import { bullseyeRoot } from '../helpers/rootfs.js';
import { PRIVATE_PLACES, privatePlacesScript } from '../../src/kernel/sandbox-places.js';

const USER = 1000;
const AS_USER = ['setpriv', '--reuid', `${USER}`, '--regid', `${USER}`, '--clear-groups'];
/** A line that looks like a JavaScript stack frame or Node's source excerpt of an uncaught error. */
const STACK_FRAME =
  /^\s+at .+:\d+:\d+\)?$|^\s+at (async )?\S+ \(|^node:[\w/]+:\d+$|^\s*\^+\s*$|^(Type|Reference|Range|Syntax)?Error: /m;
const UPDATE_BINFMTS_FILE = 'package demo\ninterpreter /bin/true\nextension demo\n';

let pkg: Installed;
beforeAll(() => {
  pkg = installed();
});
afterAll(removeScratch);

type Who = 'root' | 'an ordinary user';
/** A scratch directory (world-readable: the ordinary user works in it too), for one test's relative paths. */
const workDir = (): string => scratchDir('binfmt-nu-');
/** The installed binfmt with ARGS, run in DIR (as WHO; under WRAPPER), with it first on PATH and a UTF-8 locale. */
function installedBinfmt(dir: string, args: string[], who: Who = 'root', wrapper: string[] = []): Step {
  const env = { ...(process.env as Record<string, string>), PATH: `${pkg.bin}:${process.env.PATH}`, LC_ALL: 'C.UTF-8' };
  const argv = [...wrapper, ...(who === 'root' ? [] : AS_USER), `${pkg.bin}/binfmt`, ...args];
  return exec(argv, { cwd: dir, env, input: '' });
}
/** Runs the steps in a fresh sandbox that maps ids 0..65535 (so that uid 1000 exists). */
const sb = (steps: Step[], timeoutMs = 120_000): StepRun[] => sandboxedSteps(steps, { mapUsers: true, timeoutMs });
/** DIR/root/etc/binfmt.d/NAME holding TEXT: a config root for --config-root root. */
function configRoot(dir: string, name: string, text: string): void {
  mkdirSync(join(dir, 'root/etc/binfmt.d'), { recursive: true });
  writeFileSync(join(dir, 'root/etc/binfmt.d', name), text);
}
const entriesOf = (step: StepRun | undefined): string[] => step!.stdout.split('\n');

describe('1. never a stack trace', needs(sandboxUsers()), () => {
  // UNR: a directory nobody but root may enter; UNRF: a file only root may read; F: an update-binfmts file.
  const commands = [
    'apply',
    'apply --state-dir $UNR/state',
    'apply --config-root $UNR',
    'plan --config-root $UNR',
    'doctor --no-probe --config-root $UNR',
    'doctor --no-probe --state-dir $UNR',
    'reorder a --before b',
    'reorder a --before b --state-dir $UNR/s',
    'import $UNRF',
    'import $F',
    'import $F --out $UNR/out',
    'import $F --state-dir $UNR/s',
    'register nope --config-dir $UNR',
    'register slulb',
    'register slulb --loader-dir $UNR/l',
    'register --line :nu-demo:E::nudemo::/bin/true:',
    'register --line :nu-demo:E::nudemo::/bin/true: --mount $UNR',
    'persist nope',
    'persist nope --config-root $UNR',
    'unpersist nope --config-root $UNR',
    'export --out $UNR/o',
    'list --mount $UNR',
    'status --mount $UNR',
    'show nope --mount $UNR',
    'remove nope',
    'enable nope',
    'disable nope',
    'validate --file $UNRF',
    'which $UNRF',
    'which $UNR',
    'inspect $UNRF',
    'check $UNRF',
    'check /bin/true --root $UNR',
    'mark $UNRF',
    'exec --root $UNR -- /bin/true',
    'exec -- $UNRF',
    'loader stamp --out $UNR/x',
    'loader show $UNRF',
    'rootfs bullseye $UNR/r',
    'oci-hook install --hooks-dir $UNR/h',
    'oci-hook uninstall --hooks-dir $UNR',
    'oci-hook run',
    'list --pid 1',
    'register slulb --pid 1',
    'apply --pid 1 --state-dir $UNR/s',
  ];
  for (const who of ['an ordinary user', 'root'] as const) {
    it(`as ${who}: every command with unreadable or unwritable paths fails in one line, exit 1`, () => {
      const dir = workDir();
      const [unr, unrf, f] = ['unr', 'unrf', 'F'].map((n) => join(dir, n));
      mkdirSync(unr!, { mode: 0o000 });
      chmodSync(unr!, 0o000);
      writeFileSync(unrf!, 'secret\n', { mode: 0o600 });
      writeFileSync(f!, UPDATE_BINFMTS_FILE, { mode: 0o644 });
      const argv = (c: string): string[] =>
        c.split(' ').map((w) => w.replace('$UNRF', unrf!).replace('$UNR', unr!).replace('$F', f!));
      const r = sb(commands.map((c) => installedBinfmt(dir, argv(c), who)));
      expect(r.length).toBe(commands.length);
      const bad: string[] = [];
      r.forEach(({ status, stdout, stderr }, i) => {
        const trace = STACK_FRAME.test(stdout) || STACK_FRAME.test(stderr);
        // A failure says why: binfmt's one-line error, or the command's own report (doctor, validate, check).
        if (trace || ![0, 1, 2].includes(status!) || (status === 1 && (stdout + stderr).trim() === ''))
          bad.push(`binfmt ${commands[i]} -> exit ${status}\n${stdout}${stderr}`);
      });
      expect(bad).toEqual([]);
    });
  }
});

describe('2. binfmt sandbox keeps everything private', needs(sandbox(), root()), () => {
  it("after register, apply, reorder, persist and import in a sandbox, the host's places are byte-for-byte unchanged", () => {
    // The "host" is a private mount namespace whose places are themselves overlays: a sandbox that leaks shows
    // up in the snapshots and still cannot touch the machine.
    const script = fileURLToPath(new URL('scripts/places-unchanged.sh', import.meta.url));
    const argv = ['--mount', '--propagation', 'private', '--', 'bash', script, privatePlacesScript(false)];
    const r = spawnSync('unshare', [...argv, ...PRIVATE_PLACES], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: `${pkg.bin}:${process.env.PATH}` },
    });
    expect(r.stderr).toMatch(
      /binfmt sandbox: private binfmt_misc at \S+; in memory, discarded at exit: \/run\/binfmt \(empty\)/,
    );
    const [before, after] = r.stdout.split('@@after\n');
    expect(after).toContain('session-ok');
    expect(after!.replace('session-ok\n', '')).toBe(before);
  });
});

describe('3. --dry-run does not fail where the real run succeeds', needs(sandbox()), () => {
  for (const def of ['slulb', 'host-runtime']) {
    it(`register ${def} --loader-dir NEW --dry-run: exit 0, says what it would install, creates nothing`, () => {
      const dir = workDir();
      const register = ['register', def, '--loader-dir', join(dir, 'new')];
      const [dry, ls, real] = sb([
        installedBinfmt(dir, [...register, '--dry-run']),
        run('ls', '-d', join(dir, 'new')),
        installedBinfmt(dir, register),
      ]);
      expect(dry!.stderr + real!.stderr).not.toMatch(/ENOENT|does not exist/);
      expect(dry!.status).toBe(0);
      expect(dry!.stdout).toMatch(new RegExp(`would install .*new/${def}`));
      expect(dry!.stdout).toMatch(new RegExp(`would register '${def}'`));
      expect(ls!.stderr).toMatch(/No such file or directory/);
      expect(real!.status).toBe(0);
    });
  }
});

describe('4. a missing or mistyped --config-root or config directory is an error', needs(sandbox()), () => {
  it('as an ordinary user too: plan --config-root roooot is an error naming it', () => {
    const [r] = sb([installedBinfmt(workDir(), ['plan', '--config-root', 'roooot'], 'an ordinary user')]);
    expect(r!.status).toBe(1);
    expect(r!.stderr).toMatch(/--config-root roooot: no such directory/);
  });
  for (const cmd of ['apply --prune', 'plan', 'doctor --no-probe']) {
    it(`${cmd} --config-root roooot: exit 1 naming it, and nothing removed`, () => {
      const dir = workDir();
      configRoot(dir, 'a.conf', ':nu-a:E::nua::/bin/true:\n');
      const [, r, listed] = sb([
        must(installedBinfmt(dir, ['apply', '--config-root', 'root', '--state-dir', 'st'])),
        installedBinfmt(dir, [...cmd.split(' '), '--config-root', 'roooot', '--state-dir', 'st']),
        run('ls', '/proc/sys/fs/binfmt_misc'),
      ]);
      expect(r!.status).toBe(1);
      expect(r!.stderr).toMatch(/roooot/);
      expect(entriesOf(listed)).toContain('nu-a');
    });
  }
  it('register NAME --config-dir MISSING: exit 1 naming the directory', () => {
    const dir = workDir();
    const args = ['register', 'slulb', '--config-dir', join(dir, 'nope'), '--loader-dir', join(dir, 'l')];
    const [r] = sb([installedBinfmt(dir, args)]);
    expect(r!.status).toBe(1);
    expect(r!.stderr).toMatch(/nope.*(does not exist|no such)/i);
  });
});

describe('5. no hang on procfs/sysfs paths', needs(sandbox()), () => {
  const LIMIT_S = 15;
  for (const cmd of [
    'register slulb --loader-dir /proc/nope/x',
    'apply --state-dir /proc/nope/x',
    'import F --out /proc/nope/x',
    'apply --state-dir /sys/nope/x',
  ]) {
    for (const who of ['root', 'an ordinary user'] as const) {
      it(
        `${cmd}, as ${who}: fails within ${LIMIT_S} s, exit 1, naming the path`,
        needs(who !== 'root' && sandboxUsers()),
        () => {
          const dir = workDir();
          writeFileSync(join(dir, 'F'), UPDATE_BINFMTS_FILE, { mode: 0o644 });
          const timeout = ['timeout', `${LIMIT_S}`];
          const [r] = sb([installedBinfmt(dir, cmd.split(' '), who, timeout)], (LIMIT_S + 30) * 1000);
          expect(r!.status).toBe(1);
          expect(r!.stderr).toMatch(/\/(proc|sys)\/nope/);
        },
      );
    }
  }
});

describe('6. doctor tells the truth about ownership, and its fixes can be typed as shown', needs(sandbox()), () => {
  it('an entry added with binfmt register is reported as registered by binfmt register', () => {
    const dir = workDir();
    const [, r] = sb([
      must(installedBinfmt(dir, ['register', '--line', ':nu-r:E::nur::/bin/true:', '--state-dir', 'st'])),
      installedBinfmt(dir, ['doctor', '--no-probe', '--state-dir', 'st']),
    ]);
    expect(r!.stdout).not.toMatch(/nu-r: owned by nobody/);
    expect(r!.stdout).toMatch(/nu-r: registered with binfmt register/);
  });
  it('a suggested fix repeats --config-root, --state-dir and --mount', () => {
    const dir = workDir();
    configRoot(dir, 'a.conf', ':nu-a:E::nua::/bin/true:\n');
    const [r] = sb([
      installedBinfmt(dir, [
        'doctor',
        '--no-probe',
        '--config-root',
        'root',
        '--state-dir',
        join(dir, 'st'),
        '--mount',
        '/proc/sys/fs/binfmt_misc',
      ]),
    ]);
    const fix = /fix: (binfmt apply.*)$/m.exec(r!.stdout)?.[1];
    expect(fix).toBeDefined();
    expect(fix).toContain('--config-root root');
    expect(fix).toMatch(/--state-dir \S+\/st/);
    expect(fix).toContain('--mount /proc/sys/fs/binfmt_misc');
  });
});

describe('7. register warns about a missing interpreter, and refuses it with --strict', needs(sandbox()), () => {
  it('warns, registers; --strict refuses and registers nothing', () => {
    const dir = workDir();
    const [r, strict, listed] = sb([
      installedBinfmt(dir, ['register', '--line', ':nu-m:E::num::/no/such/interp:']),
      installedBinfmt(dir, ['register', '--strict', '--line', ':nu-s:E::nus::/no/such/interp:']),
      run('ls', '/proc/sys/fs/binfmt_misc'),
    ]);
    expect(r!.stderr).toMatch(/warning: interpreter: \/no\/such\/interp cannot be run \(ENOENT\)/);
    expect(r!.status).toBe(0);
    expect(strict!.status).toBe(1);
    expect(entriesOf(listed)).not.toContain('nu-s');
  });
});

describe('8. an ld.so and a libc.so.6 of different glibc releases are caught before exec', needs(sandbox()), () => {
  // A jail with bullseye's true and libc.so.6 (glibc 2.31), and this machine's ld.so (2.36) copied in for check.
  let jail: string;
  beforeAll(() => {
    const root = bullseyeRoot();
    jail = scratchDir('binfmt-pair-');
    for (const d of ['bin', 'lib/x86_64-linux-gnu', 'opt']) mkdirSync(join(jail, d), { recursive: true });
    cpSync(join(root, 'bin/true'), join(jail, 'bin/true'), { dereference: true });
    cpSync(join(root, 'lib/x86_64-linux-gnu/libc.so.6'), join(jail, 'lib/x86_64-linux-gnu/libc.so.6'), {
      dereference: true,
    });
    cpSync('/lib64/ld-linux-x86-64.so.2', join(jail, 'opt/ld-host.so'), { dereference: true });
  });

  it('exec --root names both files and their releases, and runs nothing', () => {
    const [r] = sb([
      installedBinfmt(workDir(), ['exec', '--root', jail, '--ld', '/lib64/ld-linux-x86-64.so.2', '--', '/bin/true']),
    ]);
    expect(r!.stderr).toMatch(
      /ld\.so \/lib64\/ld-linux-x86-64\.so\.2 is glibc 2\.\d+ but libc\.so\.6 \S+\/lib\/x86_64-linux-gnu\/libc\.so\.6 is glibc 2\.31: .*GLIBC_PRIVATE.*; pass an ld\.so of glibc 2\.31 instead/,
    );
    expect(r!.stderr).not.toMatch(/symbol lookup error|Inconsistency detected/);
    expect(r!.status).toBe(1);
  });

  it("exec --root with the root's own ld.so says what to pass, and that runs", () => {
    const root = bullseyeRoot();
    const [r] = sb([installedBinfmt(workDir(), ['exec', '--root', root, '--', '/bin/true'])]);
    const instead = /pass --ld (\S+) \(\S+ own\) instead/.exec(r!.stderr)?.[1];
    expect(instead).toBeDefined();
    const [again] = sb([installedBinfmt(workDir(), ['exec', '--root', root, '--ld', instead!, '--', '/bin/true'])]);
    expect(again!.status).toBe(0);
  });

  it('check --ld reports the same', () => {
    const [r] = sb([
      installedBinfmt(workDir(), ['check', `${jail}/bin/true`, '--root', jail, '--ld', '/opt/ld-host.so']),
    ]);
    expect(r!.stdout).toMatch(
      /ld\.so \/opt\/ld-host\.so is glibc 2\.\d+ but libc\.so\.6 \/lib\/x86_64-linux-gnu\/libc\.so\.6 is glibc 2\.31/,
    );
    expect(r!.status).toBe(1);
  });
});

describe('9. the small ones', needs(sandbox()), () => {
  for (const who of ['root', 'an ordinary user'] as const) {
    it(`which DIR says it is a directory, as ${who}`, needs(who !== 'root' && sandboxUsers()), () => {
      const dir = workDir();
      mkdirSync(join(dir, 'd'));
      const [r] = sb([installedBinfmt(dir, ['which', 'd'], who)]);
      expect(r!.stderr).toMatch(/d: is a directory/);
      expect(r!.status).toBe(1);
    });
  }
  it('bare binfmt and binfmt loader: help on stderr, exit 2, alike', () => {
    const bare = spawnSync(`${pkg.bin}/binfmt`, [], { encoding: 'utf8' });
    const loader = spawnSync(`${pkg.bin}/binfmt`, ['loader'], { encoding: 'utf8' });
    for (const r of [bare, loader]) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Usage: binfmt/);
    }
  });
  it('plural forms: 1 entry, 1 warning, 1 kernel operation', () => {
    const dir = workDir();
    configRoot(dir, 'p.conf', ':nu-p:E::nup::/bin/true:\n');
    const state = ['--state-dir', 'st'];
    const [apply, status, , doctor] = sb([
      installedBinfmt(dir, ['apply', '--config-root', 'root', ...state]),
      installedBinfmt(dir, ['status']),
      installedBinfmt(dir, ['register', '--line', ':nu-q:E::nuq::/no/such:', ...state]),
      installedBinfmt(dir, ['doctor', '--no-probe', '--config-root', 'root', ...state]),
    ]);
    const lastLine = (step: StepRun | undefined): string => step!.stdout.trimEnd().split('\n').at(-1)!;
    const said = [lastLine(apply), status!.stdout.trimEnd(), lastLine(doctor)];
    expect(said[0]).toContain('(1 kernel operation)');
    expect(said[1]).toMatch(/, 1 entry$/m);
    expect(said[2]).toMatch(/^2 entries checked: 1 error, 0 warnings, 2 info$/m);
    expect(said.join('\n')).not.toMatch(/\b1 (errors|entries|warnings|kernel operations|steps)\b/);
  });
  it('import that registers prints the summary line apply prints', () => {
    const dir = workDir();
    writeFileSync(join(dir, 'F'), UPDATE_BINFMTS_FILE);
    configRoot(dir, 'b.conf', ':nu-b:E::nub::/bin/true:\n');
    const [imp, app] = sb([
      installedBinfmt(dir, ['import', 'F', '--state-dir', 'st']),
      installedBinfmt(dir, ['apply', '--config-root', 'root', '--state-dir', 'st2']),
    ]).map((step) => step.stdout.trimEnd().split('\n').at(-1)!);
    expect(imp).toBeDefined();
    expect(imp!.replace(/\d+/g, 'N')).toBe(app!.replace(/\d+/g, 'N'));
  });
});

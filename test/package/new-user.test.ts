/**
 * What a new user meets, driven through the INSTALLED package (npm pack, then
 * npm install -g --prefix TMP), as root and as an ordinary user (uid 1000 in a
 * sandbox that maps ids 0..65535), every kernel change in a private sandbox.
 * One describe per item of issue 10; item 10 (the walkthroughs typed into the
 * installed package) is test/docs/transcripts.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxed, type Run } from '../helpers/sandbox.js';
import { needs, root, sandbox, sandboxUsers } from '../helpers/skip-gate.js';
import { installed, removeScratch, scratchDir, type Installed } from '../helpers/installed.js';
import { bullseyeRoot } from '../helpers/rootfs.js';
import { PRIVATE_PLACES, privatePlacesScript } from '../../src/kernel/sandbox-places.js';

const USER = 1000;
const AS_USER = `setpriv --reuid ${USER} --regid ${USER} --clear-groups`;
/** A line that looks like a JavaScript stack frame or Node's source excerpt of an uncaught error. */
const STACK_FRAME =
  /^\s+at .+:\d+:\d+\)?$|^\s+at (async )?\S+ \(|^node:[\w/]+:\d+$|^\s*\^+\s*$|^(Type|Reference|Range|Syntax)?Error: /m;

let pkg: Installed;
beforeAll(() => {
  pkg = installed();
});
afterAll(removeScratch);

/** Runs SCRIPT in a fresh sandbox (ids 0..65535 mapped) with the installed binfmt first on PATH, in a scratch directory. */
function sb(script: string, timeoutMs = 120_000): Run {
  const prelude = `set -u; export PATH=${pkg.bin}:$PATH LC_ALL=C.UTF-8; cd "$(mktemp -d)"; chmod 755 .\n`;
  return sandboxed(prelude + script, { mapUsers: true, timeoutMs });
}

describe('1. never a stack trace', needs(sandboxUsers()), () => {
  // UNR: a directory nobody but root may enter; UNRF: a file only root may read; F: an update-binfmts file.
  const setup = [
    'mkdir unr && chmod 000 unr; UNR=$PWD/unr',
    'echo secret > unrf && chmod 600 unrf; UNRF=$PWD/unrf',
    "printf 'package demo\\ninterpreter /bin/true\\nextension demo\\n' > F; F=$PWD/F; chmod 644 F",
  ].join('\n');
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
    "register --line ':nu-demo:E::nudemo::/bin/true:'",
    "register --line ':nu-demo:E::nudemo::/bin/true:' --mount $UNR",
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
      const runAs = who === 'root' ? '' : AS_USER;
      const script =
        setup +
        '\n' +
        commands
          .map((c, i) => `echo "@@ ${i}"; ${runAs} binfmt ${c} </dev/null >out 2>&1; echo "@@ rc $?"; cat out`)
          .join('\n');
      const r = sb(script);
      const blocks = r.stdout.split(/^@@ (?=\d)/m).slice(1);
      expect(blocks.length).toBe(commands.length);
      const bad: string[] = [];
      blocks.forEach((b, i) => {
        const rc = Number(/^@@ rc (\d+)$/m.exec(b)?.[1]);
        const err = b.slice(b.indexOf('\n', b.indexOf('@@ rc')) + 1); // stdout and stderr
        // A failure says why: binfmt's one-line error, or the command's own report (doctor, validate, check).
        if (STACK_FRAME.test(err) || ![0, 1, 2].includes(rc) || (rc === 1 && err.trim() === ''))
          bad.push(`binfmt ${commands[i]} -> exit ${rc}\n${err}`);
      });
      expect(bad).toEqual([]);
    });
  }
});

const SNAPSHOT = PRIVATE_PLACES.map(
  (p) =>
    `if [ -e ${p} ]; then find ${p} -printf '%p %y %m %U %s %T@\\n' | sort; find ${p} -type f -exec sha256sum {} + | sort; else echo "absent ${p}"; fi`,
).join('\n');

describe('2. binfmt sandbox keeps everything private', needs(sandbox(), root()), () => {
  it("after register, apply, reorder, persist and import in a sandbox, the host's places are byte-for-byte unchanged", () => {
    // The "host" is a private mount namespace whose places are themselves overlays: a sandbox that leaks shows
    // up in the snapshots and still cannot touch the machine.
    const session = [
      'set -e',
      `cd "$(mktemp -d)"`,
      "printf 'package demo\\ninterpreter /bin/true\\nextension demo\\n' > F",
      'binfmt register slulb >/dev/null',
      "binfmt register --line ':nu-z:E::nuz::/bin/true:' >/dev/null",
      'binfmt apply >/dev/null',
      'binfmt reorder slulb --before nu-z --force >/dev/null',
      'binfmt persist slulb >/dev/null',
      'binfmt import F >/dev/null',
      'ls /run/binfmt /etc/binfmt.d/slulb.conf /usr/local/lib/binfmt/loaders/slulb >/dev/null',
      'echo session-ok',
    ].join('\n');
    const outer = [
      `export PATH=${pkg.bin}:$PATH`,
      privatePlacesScript(false),
      SNAPSHOT,
      'echo @@after',
      `binfmt sandbox -- bash -c '${session.replace(/'/g, "'\\''")}'`,
      SNAPSHOT,
    ].join('\n');
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', outer, 'outer'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toMatch(
      /binfmt sandbox: private binfmt_misc at \S+; private copies, discarded at exit, of: \/run\/binfmt/,
    );
    const [before, after] = r.stdout.split('@@after\n');
    expect(after).toContain('session-ok');
    expect(after!.replace('session-ok\n', '')).toBe(before);
  });
});

describe('3. --dry-run does not fail where the real run succeeds', needs(sandbox()), () => {
  for (const def of ['slulb', 'host-runtime']) {
    it(`register ${def} --loader-dir NEW --dry-run: exit 0, says what it would install, creates nothing`, () => {
      const r = sb(
        `binfmt register ${def} --loader-dir "$PWD/new" --dry-run; echo "rc=$?"; ls -d new 2>&1 | head -1; ` +
          `binfmt register ${def} --loader-dir "$PWD/new" >/dev/null; echo "real=$?"`,
      );
      expect(r.stderr).not.toMatch(/ENOENT|does not exist/);
      expect(r.stdout).toContain('rc=0');
      expect(r.stdout).toMatch(new RegExp(`would install .*new/${def}`));
      expect(r.stdout).toMatch(new RegExp(`would register '${def}'`));
      expect(r.stdout).toMatch(/No such file or directory/);
      expect(r.stdout).toContain('real=0');
    });
  }
});

describe('4. a missing or mistyped --config-root or config directory is an error', needs(sandbox()), () => {
  it('as an ordinary user too: plan --config-root roooot is an error naming it', () => {
    const r = sb(`${AS_USER} binfmt plan --config-root roooot; echo "rc=$?"`);
    expect(r.stdout).toContain('rc=1');
    expect(r.stderr).toMatch(/--config-root roooot: no such directory/);
  });
  for (const cmd of ['apply --prune', 'plan', 'doctor --no-probe']) {
    it(`${cmd} --config-root roooot: exit 1 naming it, and nothing removed`, () => {
      const r = sb(
        `mkdir -p root/etc/binfmt.d && echo ':nu-a:E::nua::/bin/true:' > root/etc/binfmt.d/a.conf\n` +
          `binfmt apply --config-root root --state-dir st >/dev/null || echo "setup failed"\n` +
          `binfmt ${cmd} --config-root roooot --state-dir st; echo "rc=$?"; ls /proc/sys/fs/binfmt_misc`,
      );
      expect(r.stdout).not.toContain('setup failed');
      expect(r.stdout).toContain('rc=1');
      expect(r.stderr).toMatch(/roooot/);
      expect(r.stdout).toMatch(/^nu-a$/m);
    });
  }
  it('register NAME --config-dir MISSING: exit 1 naming the directory', () => {
    const r = sb('binfmt register slulb --config-dir "$PWD/nope" --loader-dir "$PWD/l"; echo "rc=$?"');
    expect(r.stdout).toContain('rc=1');
    expect(r.stderr).toMatch(/nope.*(does not exist|no such)/i);
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
          const r = sb(
            `printf 'package demo\\ninterpreter /bin/true\\nextension demo\\n' > F; chmod 644 F\n` +
              `timeout ${LIMIT_S} ${who === 'root' ? '' : AS_USER} binfmt ${cmd}; echo "rc=$?"`,
            (LIMIT_S + 30) * 1000,
          );
          expect(r.stdout).toContain('rc=1');
          expect(r.stderr).toMatch(/\/(proc|sys)\/nope/);
        },
      );
    }
  }
});

describe('6. doctor tells the truth about ownership, and its fixes can be typed as shown', needs(sandbox()), () => {
  it('an entry added with binfmt register is reported as registered by binfmt register', () => {
    const r = sb(
      `binfmt register --line ':nu-r:E::nur::/bin/true:' --state-dir st >/dev/null && binfmt doctor --no-probe --state-dir st`,
    );
    expect(r.stdout).not.toMatch(/nu-r: owned by nobody/);
    expect(r.stdout).toMatch(/nu-r: registered with binfmt register/);
  });
  it('a suggested fix repeats --config-root, --state-dir and --mount', () => {
    const r = sb(
      `mkdir -p root/etc/binfmt.d && echo ':nu-a:E::nua::/bin/true:' > root/etc/binfmt.d/a.conf\n` +
        `binfmt doctor --no-probe --config-root root --state-dir "$PWD/st" --mount /proc/sys/fs/binfmt_misc`,
    );
    const fix = /fix: (binfmt apply.*)$/m.exec(r.stdout)?.[1];
    expect(fix).toBeDefined();
    expect(fix).toContain('--config-root root');
    expect(fix).toMatch(/--state-dir \S+\/st/);
    expect(fix).toContain('--mount /proc/sys/fs/binfmt_misc');
  });
});

describe('7. register warns about a missing interpreter, and refuses it with --strict', needs(sandbox()), () => {
  it('warns, registers; --strict refuses and registers nothing', () => {
    const r = sb(
      `binfmt register --line ':nu-m:E::num::/no/such/interp:'; echo "rc=$?"\n` +
        `binfmt register --strict --line ':nu-s:E::nus::/no/such/interp:'; echo "strict=$?"; ls /proc/sys/fs/binfmt_misc`,
    );
    expect(r.stderr).toMatch(/warning: interpreter: \/no\/such\/interp cannot be run \(ENOENT\)/);
    expect(r.stdout).toContain('rc=0');
    expect(r.stdout).toContain('strict=1');
    expect(r.stdout).not.toMatch(/^nu-s$/m);
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
    const r = sb(`binfmt exec --root ${jail} --ld /lib64/ld-linux-x86-64.so.2 -- /bin/true; echo "rc=$?"`);
    expect(r.stderr).toMatch(
      /ld\.so \/lib64\/ld-linux-x86-64\.so\.2 is glibc 2\.\d+ but libc\.so\.6 \S+\/lib\/x86_64-linux-gnu\/libc\.so\.6 is glibc 2\.31: .*GLIBC_PRIVATE.*; pass an ld\.so of glibc 2\.31 instead/,
    );
    expect(r.stderr).not.toMatch(/symbol lookup error|Inconsistency detected/);
    expect(r.stdout).toContain('rc=1');
  });

  it("exec --root with the root's own ld.so says what to pass, and that runs", () => {
    const root = bullseyeRoot();
    const r = sb(`binfmt exec --root ${root} -- /bin/true; echo "rc=$?"`);
    const instead = /pass --ld (\S+) \(\S+ own\) instead/.exec(r.stderr)?.[1];
    expect(instead).toBeDefined();
    const again = sb(`binfmt exec --root ${root} --ld ${instead} -- /bin/true; echo "rc=$?"`);
    expect(again.stdout).toContain('rc=0');
  });

  it('check --ld reports the same', () => {
    const r = sb(`binfmt check ${jail}/bin/true --root ${jail} --ld /opt/ld-host.so; echo "rc=$?"`);
    expect(r.stdout).toMatch(
      /ld\.so \/opt\/ld-host\.so is glibc 2\.\d+ but libc\.so\.6 \/lib\/x86_64-linux-gnu\/libc\.so\.6 is glibc 2\.31/,
    );
    expect(r.stdout).toContain('rc=1');
  });
});

describe('9. the small ones', needs(sandbox()), () => {
  for (const who of ['root', 'an ordinary user'] as const) {
    it(`which DIR says it is a directory, as ${who}`, needs(who !== 'root' && sandboxUsers()), () => {
      const r = sb(`mkdir d; ${who === 'root' ? '' : AS_USER} binfmt which d; echo "rc=$?"`);
      expect(r.stderr).toMatch(/d: is a directory/);
      expect(r.stdout).toContain('rc=1');
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
    const r = sb(
      `mkdir -p root/etc/binfmt.d && echo ':nu-p:E::nup::/bin/true:' > root/etc/binfmt.d/p.conf\n` +
        `binfmt apply --config-root root --state-dir st | tail -1; binfmt status\n` +
        `binfmt register --line ':nu-q:E::nuq::/no/such:' --state-dir st 2>/dev/null >&2\n` +
        `binfmt doctor --no-probe --config-root root --state-dir st | tail -1`,
    );
    expect(r.stdout).toContain('(1 kernel operation)');
    expect(r.stdout).toMatch(/, 1 entry$/m);
    expect(r.stdout).toMatch(/^2 entries checked: 1 error, 0 warnings, 2 info$/m);
    expect(r.stdout).not.toMatch(/\b1 (errors|entries|warnings|kernel operations|steps)\b/);
  });
  it('import that registers prints the summary line apply prints', () => {
    const r = sb(
      `printf 'package demo\\ninterpreter /bin/true\\nextension demo\\n' > F\n` +
        `binfmt import F --state-dir st | tail -1\n` +
        `mkdir -p root/etc/binfmt.d && echo ':nu-b:E::nub::/bin/true:' > root/etc/binfmt.d/b.conf\n` +
        `binfmt apply --config-root root --state-dir st2 | tail -1`,
    );
    const [imp, app] = r.stdout.trim().split('\n');
    expect(imp!.replace(/\d+/g, 'N')).toBe(app!.replace(/\d+/g, 'N'));
  });
});

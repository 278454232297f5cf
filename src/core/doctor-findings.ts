/**
 * binfmt doctor's judgement, as pure functions: facts gathered by the I/O
 * layer (src/ops/doctor.ts) in, findings out, each with its fix.
 * Errors mean something is broken now (doctor exits 1); warnings, something
 * that will bite; info, what is worth knowing.
 */
import type { Entry } from './entry.js';
import type { Diagnostic } from './diagnostic.js';
import type { Problem } from './problem.js';
import { binfmt, option, plainText, type Fix } from './fix.js';
import type { ProblemCode } from './problem-codes.js';
import type { MountInfo } from './mountinfo.js';
import type { Plan } from './reconcile-plan.js';
import { emulatedArch } from './emulator-entry.js';
import { entryShadows } from './entry-overlap.js';
import { isTemporaryName } from './kernel-steps.js';
import { USERNS_INSTANCES } from './kernel-rules.js';

/** A doctor finding: a Problem about a subject (the mount, "kernel", an entry's name, a file:line), with its fix. */
export interface Finding extends Problem {
  subject: string;
  fix: Fix | null;
}

/** The one maker of findings. */
export function finding(
  severity: Finding['severity'],
  code: ProblemCode,
  subject: string,
  message: string,
  fix: Fix | null = null,
): Finding {
  return { severity, code, subject, message, fix };
}

export interface MountFacts {
  path: string;
  exists: boolean;
  mount: MountInfo | null;
  /** Whether this process is in the initial user namespace; null when it cannot be told. */
  initialUserns: boolean | null;
  /** The instance's status file (null when not readable). */
  enabled: boolean | null;
}

export function mountFindings(m: MountFacts): Finding[] {
  const f = (severity: Finding['severity'], code: ProblemCode, message: string, fix: Fix | null): Finding =>
    finding(severity, code, m.path, message, fix);
  const mountCmd = `mount -t binfmt_misc -o nosuid,nodev,noexec binfmt_misc ${m.path}`;
  if (!m.exists)
    return [
      f('error', 'no-mount-point', `${m.path} does not exist: binfmt_misc is not available (module not loaded?)`, [
        `modprobe binfmt_misc, then ${mountCmd}`,
      ]),
    ];
  if (!m.mount)
    return [
      f(
        'error',
        'not-mounted',
        `binfmt_misc is not mounted at ${m.path}: nothing is registered and registering fails`,
        [mountCmd],
      ),
    ];
  if (m.mount.fsType === 'autofs') {
    return [
      f(
        'warning',
        'automount-untriggered',
        `${m.path} is an automount point that has not been triggered yet: binfmt_misc is mounted on first access`,
        [`ls ${m.path} (any access mounts it; from inside a container it must happen in the host's mount namespace)`],
      ),
    ];
  }
  if (m.mount.fsType !== 'binfmt_misc')
    return [f('error', 'wrong-fs', `${m.path} is a ${m.mount.fsType} mount, not binfmt_misc`, [mountCmd])];
  const out: Finding[] = [];
  if (m.initialUserns === false) {
    out.push(
      f(
        'info',
        'private-instance',
        `this process runs in a user namespace other than the initial one: a binfmt_misc mounted from this namespace is its own instance (Linux ${USERNS_INSTANCES.mainline}+), invisible to the host and gone when the namespace ends or its last mount is unmounted; without its own mount, the parent's entries apply`,
        null,
      ),
    );
  } else if (m.initialUserns === true) {
    out.push(
      f(
        'info',
        'host-instance',
        `the machine's own instance: entries here apply to every process without an instance of its own (never unmount it: on ${USERNS_INSTANCES.mainline}+ the last unmount deletes every entry)`,
        null,
      ),
    );
  }
  if (m.enabled === false)
    out.push(
      f(
        'warning',
        'status-disabled',
        'binfmt_misc is switched off in this instance (status: disabled): no entry matches, non-native files fail with ENOEXEC',
        [binfmt('status', 'on')],
      ),
    );
  return out;
}

export interface FeatureFacts {
  /** Why the throw-away sandbox could not be made, or null. */
  unavailable: string | null;
  /** Flag letter → accepted by the running kernel. */
  flags: Record<string, boolean>;
  /** Whether a P interpreter saw AT_FLAGS_PRESERVE_ARGV0; null when not probed. */
  atFlags: boolean | null;
}

/** A finding about the kernel itself (its version or its features). */
export function kernelFinding(
  severity: Finding['severity'],
  code: ProblemCode,
  message: string,
  fix: Fix | null = null,
): Finding {
  return finding(severity, code, 'kernel', message, fix);
}

export function featureFindings(k: FeatureFacts): Finding[] {
  const f = kernelFinding;
  if (k.unavailable) return [f('info', 'features-unprobed', `kernel features not probed: ${k.unavailable}`)];
  const out: Finding[] = [
    f(
      'info',
      'userns-instances',
      'per-user-namespace binfmt_misc instances work (a throw-away one was mounted for these probes)',
    ),
  ];
  const accepted = Object.entries(k.flags)
    .filter(([, ok]) => ok)
    .map(([l]) => l)
    .join('');
  const refused = Object.entries(k.flags)
    .filter(([, ok]) => !ok)
    .map(([l]) => l)
    .join('');
  out.push(
    f(
      'info',
      'kernel-flags',
      `flags the kernel accepts: ${accepted || '(none)'}${refused ? `; refuses: ${refused}` : ''}`,
    ),
  );
  if (k.flags.F === false)
    out.push(
      f(
        'warning',
        'no-fix-binary',
        'the kernel refuses F (before 4.8): emulators cannot be pinned for containers and chroots',
      ),
    );
  if (k.atFlags === true)
    out.push(
      f(
        'info',
        'at-flags',
        'a P interpreter is told through AT_FLAGS (AT_FLAGS_PRESERVE_ARGV0), so it can tell argv[0] is preserved',
      ),
    );
  else if (k.atFlags === false)
    out.push(
      f(
        'warning',
        'no-at-flags',
        'a P interpreter is not told through AT_FLAGS (kernel before 5.12): it must guess whether argv[0] is preserved',
      ),
    );
  return out;
}

export interface EntryFacts {
  entry: Entry;
  /** errno of looking the interpreter up now (non-F entries resolve it at every exec), or null. */
  interpreterErrno: string | null;
  /** F entries: whether the file now at the interpreter path is the pinned one. */
  pin: 'pinned' | 'replaced' | 'missing' | 'unknown' | null;
  /** The safety guards' verdicts (src/core/entry-lint.ts). */
  lint: Diagnostic[];
  owned: boolean;
  configured: boolean;
}

/** How to register a stale F entry again: binfmt emulate for an emulator, else a move that re-registers it. */
function staleFix(e: Entry, owned: boolean): Fix {
  const again = 'register it again so the kernel opens the new file: ';
  const a = emulatedArch(e);
  if (a) return [again, owned ? binfmt('emulate', a.qemu) : binfmt('emulate', a.qemu, option('force'))];
  return [again, binfmt('reorder', e.name, option('before', '<an older entry>')), ' does that without a gap'];
}

/** `facts` in match order (newest first). */
export function entryFindings(facts: EntryFacts[]): Finding[] {
  const out: Finding[] = [];
  facts.forEach((x, i) => {
    const e = x.entry;
    const f = (severity: Finding['severity'], code: ProblemCode, message: string, fix: Fix | null): void =>
      void out.push(finding(severity, code, e.name, message, fix));
    if (isTemporaryName(e.name))
      f('warning', 'leftover-temporary', 'a temporary entry left by an interrupted binfmt change', [
        binfmt('remove', e.name),
      ]);
    if (e.flags.includes('F')) {
      if (x.pin === 'replaced')
        f(
          'warning',
          'stale-pin',
          `F pinned the interpreter when it was registered, and ${e.interpreter} is now a different file (upgraded?): execs still run the old one`,
          staleFix(e, x.owned),
        );
      if (x.pin === 'missing')
        f(
          'warning',
          'pinned-deleted',
          `F keeps running a deleted ${e.interpreter}; registering it again would fail with ENOENT`,
          [`reinstall ${e.interpreter}, or remove the entry`],
        );
    } else if (x.interpreterErrno) {
      f(
        'error',
        'interpreter-missing',
        `interpreter ${e.interpreter} cannot be run (${x.interpreterErrno}): every matching exec fails${x.interpreterErrno === 'ENOENT' ? ' with a confusing "No such file or directory"' : ''}`,
        [`install ${e.interpreter}, or `, binfmt('remove', e.name)],
      );
    }
    for (const d of x.lint) {
      if (d.code.startsWith('name-')) continue;
      // A disabled entry breaks nothing yet; enabling it would.
      const off = e.enabled === false && d.severity === 'error';
      f(
        off ? 'warning' : d.severity,
        d.code,
        off ? `${d.message} (once enabled; it is disabled now)` : d.message,
        d.code === 'captures-native' || d.code === 'self-match' ? [binfmt('remove', e.name)] : null,
      );
    }
    if (e.enabled !== false) {
      const shadow = facts.slice(0, i).find((n) => n.entry.enabled !== false && entryShadows(n.entry, e));
      if (shadow)
        f('warning', 'shadowed', `never runs: the newer entry '${shadow.entry.name}' matches every file it matches`, [
          binfmt('reorder', e.name, option('before', shadow.entry.name), ...(x.owned ? [] : [option('force')])),
          ', or remove one of them',
        ]);
    }
    if (!x.owned && !x.configured && !isTemporaryName(e.name))
      f(
        'info',
        'unowned',
        'owned by nobody binfmt knows (registered by hand or by another tool): binfmt leaves it alone',
        null,
      );
  });
  return out;
}

/** Differences between the kernel and the configuration, from a plan. */
export function driftFindings(plan: Plan<Entry>, sources: ReadonlyMap<string, string> = new Map()): Finding[] {
  const out: Finding[] = [];
  for (const a of plan.actions) {
    const f = (severity: Finding['severity'], code: ProblemCode, message: string, fix: Fix | null): void =>
      void out.push(finding(severity, code, a.name, message, fix));
    if (a.kind === 'add')
      f('warning', 'drift-missing', `configured at ${a.source} but not registered`, [binfmt('apply')]);
    else if (a.kind === 'change' && a.reason === 'definition')
      f('warning', 'drift-changed', `differs from its configuration at ${a.source}`, [
        binfmt('apply'),
        ' (',
        binfmt('plan'),
        ' shows the fields)',
      ]);
    else if (a.kind === 'change')
      f('warning', 'drift-order', `match order differs from the configuration (${a.source})`, [binfmt('apply')]);
    else if (a.kind === 'conflict')
      f('warning', 'drift-foreign', `configured at ${a.source}, but someone else registered it differently`, [
        binfmt('apply', option('force')),
        ' takes it over',
      ]);
  }
  for (const n of plan.stale) {
    const by = /^binfmt (register|emulate)\b/.exec(sources.get(n) ?? '')?.[0] ?? null;
    const message = by
      ? `registered with ${by}, and no configuration names it: binfmt owns it, and ${plainText(['apply ', option('prune')])} would remove it`
      : 'registered by binfmt but no longer configured';
    const code = by ? 'registered-unconfigured' : 'drift-stale';
    const keep =
      by === 'binfmt emulate' ? binfmt('emulate', option('persist'), n.replace(/^qemu-/, '')) : binfmt('persist', n);
    const fix: Fix = by ? [keep, ' keeps it at boot'] : [binfmt('apply', option('prune'))];
    out.push(finding('info', code, n, message, fix));
  }
  return out;
}

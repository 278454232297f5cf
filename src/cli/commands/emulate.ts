/**
 * `binfmt emulate ARCH…|all`, `--remove`, `--status`. The work is
 * src/ops/emulate*.ts; this turns the options into a request and renders it.
 */
import { BinfmtError } from '../../core/binfmt-error.js';
import { emulate, type ArchOutcome } from '../../ops/emulate.js';
import { removeEmulators } from '../../ops/emulate-remove.js';
import { emulateStatus, type ArchStatus } from '../../ops/emulate-status.js';
import type { EmulateTarget } from '../../ops/emulate-target.js';
import { result, type CommandResult, type Runner } from '../output.js';
import { mountOf, pidOf } from '../requests.js';
import type { emulate as syntax } from '../syntax/emulate.js';

type Options = Parameters<Runner<typeof syntax>>[1];

function targetOf(opts: Options): EmulateTarget {
  const pid = pidOf(opts);
  if (opts.podman === true) {
    if (pid !== null || opts.mount !== undefined)
      throw new BinfmtError('EUSAGE', 'give one of --podman, --pid and --mount', '--podman');
    return { kind: 'podman' };
  }
  return pid !== null ? { kind: 'pid', pid } : { kind: 'mount', mount: mountOf(opts) };
}

function outcomeLine(o: ArchOutcome, label: string, dryRun: boolean): string | null {
  switch (o.action) {
    case 'native':
      return `${o.arch}: the CPU runs ${o.platform} itself${o.native === 'guess' ? ' (a guess: see binfmt-emulate(1))' : ''}: nothing to register`;
    case 'register':
      return `${o.arch}: ${dryRun ? 'would register' : 'registered'} ${o.entry} in ${label}: ${o.line}`;
    case 'replace':
      return `${o.arch}: ${dryRun ? 'would register' : 'registered'} ${o.entry} again in ${label}: ${o.line}`;
    case 'unchanged':
      return `${o.arch}: ${o.entry} is already registered in ${label}`;
    default:
      return null;
  }
}

function register(args: string[], opts: Options): CommandResult {
  const dryRun = opts.dryRun === true;
  const r = emulate({
    arches: args,
    target: targetOf(opts),
    emulatorDirs: opts.emulatorDir,
    credentials: opts.credentials === true,
    force: opts.force === true,
    persist: opts.persist === true,
    configRoot: opts.configRoot,
    stateDir: opts.stateDir,
    dryRun,
  });
  const lines = r.outcomes.map((o) => outcomeLine(o, r.label, dryRun)).filter((l): l is string => l !== null);
  const missing = r.outcomes.filter((o) => o.action === 'unavailable');
  if (missing.length) lines.push(`not emulated (no usable emulator): ${missing.map((o) => o.arch).join(', ')}`);
  for (const p of r.persisted)
    lines.push(`${p.unchanged ? 'already persisted in' : dryRun ? 'would write' : 'wrote'} ${p.path}`);
  const notes = r.outcomes.filter((o) => o.note && o.action !== 'unavailable').map((o) => `${o.arch}: ${o.note}`);
  const data = { ...r, dryRun };
  return result(data, lines.join('\n'), 0, [...notes, ...r.warnings]);
}

function remove(args: string[], opts: Options): CommandResult {
  const dryRun = opts.dryRun === true;
  const r = removeEmulators({
    arches: args,
    target: targetOf(opts),
    persist: opts.persist === true,
    configRoot: opts.configRoot,
    stateDir: opts.stateDir,
    dryRun,
  });
  const lines: string[] = [];
  for (const o of r.outcomes) {
    if (o.action === 'remove')
      lines.push(`${o.arch}: ${dryRun ? 'would remove' : 'removed'} ${o.entry} from ${r.label}`);
    if (o.unpersisted) lines.push(`${o.arch}: ${dryRun ? 'would remove' : 'removed'} ${o.unpersisted}`);
  }
  if (lines.length === 0) lines.push(`no emulator entry of binfmt's to remove in ${r.label}`);
  const notes = r.outcomes.filter((o) => o.note).map((o) => `${o.arch}: ${o.note}`);
  return result({ ...r, dryRun }, lines.join('\n'), 0, notes);
}

function statusRow(s: ArchStatus): string {
  if (s.state === 'native') return `${s.arch.padEnd(12)} ${s.platform.padEnd(17)} native`;
  if (!s.entry)
    return `${s.arch.padEnd(12)} ${s.platform.padEnd(17)} unavailable${s.emulator ? ` (binfmt emulate ${s.arch} would register ${s.emulator})` : ''}`;
  const parts = [
    s.works ? 'emulated' : 'broken',
    `by ${s.entry} (${s.interpreter}, flags ${s.flags || '-'})`,
    s.containers ? 'works in containers' : 'not in containers (no F)',
  ];
  if (s.pin === 'replaced') parts.push('the file was replaced since it was registered: execs run the old one');
  if (s.pin === 'missing') parts.push('the pinned file was deleted');
  if (!s.works) parts.push('the probe does not run through it');
  return `${s.arch.padEnd(12)} ${s.platform.padEnd(17)} ${parts.join('; ')}`;
}

function status(args: string[], opts: Options): CommandResult {
  if (args.length) throw new BinfmtError('EUSAGE', 'emulate --status takes no architectures', 'arch');
  const s = emulateStatus({ target: targetOf(opts), stateDir: opts.stateDir, emulatorDirs: opts.emulatorDir });
  const text = [`${s.label}:`, ...s.arches.map(statusRow), `supported: ${s.supported.join(', ')}`];
  return result(s, text.join('\n'));
}

export const run: Runner<typeof syntax> = async ([arches], opts) => {
  if (opts.remove && opts.status)
    throw new BinfmtError('EUSAGE', 'give either --remove or --status, not both', '--status');
  if (opts.status) return status(arches, opts);
  if (opts.remove) return remove(arches, opts);
  return register(arches, opts);
};

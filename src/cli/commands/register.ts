/**
 * `binfmt register`: from a raw line (--line), from options, or from a named
 * definition. The work is src/ops/register.ts; this turns the options into a
 * request and renders the registration.
 */
import { BinfmtError } from '../../core/binfmt-error.js';
import { freeDelimiter } from '../../core/register-format.js';
import { registerEntry, type RegisterRequest } from '../../ops/register.js';
import { diagnosticLine } from '../render/problem.js';
import { entryJson } from '../entry-json.js';
import { result, type Runner } from '../output.js';
import { shippedDefinitions } from '../../config/shipped-definitions.js';
import { mountOf, pidOf } from '../requests.js';
import type { register } from '../syntax/register.js';

type Options = Parameters<Runner<typeof register>>[1];

function lineFromOptions(o: Options): string {
  const str = (k: 'name' | 'interpreter' | 'extension' | 'magic' | 'mask' | 'offset' | 'flags'): string => o[k] ?? '';
  const name = str('name');
  if (!name)
    throw new BinfmtError('EUSAGE', 'register: give NAME, --line, or --name with --magic or --extension', 'name');
  if (!str('interpreter'))
    throw new BinfmtError('EUSAGE', 'register: --interpreter is required with --name', 'interpreter');
  const ext = str('extension');
  const magic = str('magic');
  if ((ext === '') === (magic === ''))
    throw new BinfmtError(
      'EUSAGE',
      'register: give exactly one of --magic and --extension',
      ext ? 'extension' : 'magic',
    );
  const fields = ext
    ? [name, 'E', '', ext, '', str('interpreter'), str('flags')]
    : [name, 'M', str('offset'), magic, str('mask'), str('interpreter'), str('flags')];
  const d = freeDelimiter(fields);
  if (!d) throw new BinfmtError('EINVAL', 'register: the fields use every usable delimiter', 'name');
  return d + fields.join(d);
}

function source(name: string | undefined, o: Options): RegisterRequest['source'] {
  if (o.line !== undefined) {
    if (name) throw new BinfmtError('EUSAGE', 'register: give either NAME or --line, not both', 'line');
    return { line: o.line };
  }
  if (name) {
    return { name, configDirs: o.configDir, loaderDir: o.loaderDir };
  }
  return { line: lineFromOptions(o) };
}

/** For `register --help`: the definitions binfmt ships, which NAME may name. */
export function helpAfter(): string {
  const defs = shippedDefinitions();
  const width = Math.max(...defs.map((d) => d.name.length));
  const rows = defs.map((d) => `  ${d.name.padEnd(width)}  ${d.summary}`);
  return `\nShipped definitions, for binfmt register NAME (a binfmt.d rule of that name\ncomes first):\n${rows.join('\n')}\n\nSee man binfmt-register.`;
}

export const run: Runner<typeof register> = async (args, opts) => {
  const reg = registerEntry({
    mount: mountOf(opts),
    pid: pidOf(opts),
    source: source(args[0], opts),
    force: opts.force === true,
    strict: opts.strict === true,
    dryRun: opts.dryRun === true,
    stateDir: opts.stateDir,
  });
  const { check, definition: def } = reg;
  const where = def ? `${def.file}:${def.line}: ` : '';
  const stamp = reg.loader?.stamp;
  const loader = stamp ? { path: reg.loader!.loader, written: stamp.written, config: stamp.config } : null;
  const base = {
    line: reg.line,
    source: def ? `${def.file}:${def.line}` : null,
    dryRun: opts.dryRun === true,
    mount: reg.pid === null ? reg.mount : null,
    pid: reg.pid,
    loader,
  };
  if (!check.ok) {
    const lines = check.diagnostics.map((d) => diagnosticLine(d, where));
    return result(
      { ...base, registered: false, errno: check.errno, entry: null, diagnostics: check.diagnostics },
      '',
      1,
      [...lines, `not registered: the kernel would refuse it with ${check.errno}`],
    );
  }
  const diagnostics = [...check.diagnostics, ...check.guards];
  const warnings = [
    ...(stamp?.warnings ?? []),
    ...reg.warnings,
    ...diagnostics.filter((d) => d.severity === 'warning').map((d) => diagnosticLine(d, where)),
  ];
  const entry = entryJson(reg.registered ?? check.entry);
  const data = { ...base, registered: reg.registered !== null, errno: null, entry, diagnostics };
  if (reg.refused === 'guard') {
    const refusals = check.guards.filter((d) => d.severity === 'error').map((d) => diagnosticLine(d, where));
    return result(data, '', 1, [
      ...warnings,
      ...refusals,
      'not registered: a safety guard refused it (use --force to register anyway)',
    ]);
  }
  if (reg.refused === 'strict') {
    const n = warnings.length;
    return result(data, '', 1, [
      ...warnings,
      `not registered: --strict refuses an entry with ${n === 1 ? 'a warning' : `${n} warnings`}`,
    ]);
  }
  const install = reg.pendingLoader ? `would install ${reg.pendingLoader} (binfmt-loader, stamped)\n` : '';
  if (!reg.registered)
    return result(data, `${install}would register '${check.entry.name}' in ${reg.label}: ${reg.line}`, 0, warnings);
  return result(data, `registered '${reg.registered.name}' in ${reg.label}`, 0, warnings);
};

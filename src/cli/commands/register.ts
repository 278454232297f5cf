/**
 * `binfmt register`: from a raw line (--line), from options, or from a named
 * definition. Validates exactly as the kernel would (with the kernel's errno),
 * runs the safety guards, then writes once and reads back.
 */
import { BinfmtError } from '../../core/binfmt-error.js';
import { lintEntry } from '../../core/entry-lint.js';
import { parseRegister, type ParseResult } from '../../core/register-parse.js';
import { DELIMITERS } from '../../core/register-format.js';
import { findDefinition, type Definition } from '../../config/definitions.js';
import { installLoaderFor, type InstalledLoader } from '../../ops/install-loader.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { openExecErrno } from '../../kernel/interpreter-probe.js';
import { probeFor } from '../../kernel/file-facts.js';
import { loaderPath } from '../../loader/locate.js';
import { diagnosticLine } from '../diagnostics-text.js';
import { entryJson } from '../entry-json.js';
import { result, type Runner } from '../output.js';
import { existingDir } from '../option-dir.js';
import { stateDirOf } from '../requests.js';
import { recordRegistration, REGISTER_SOURCE } from '../../ops/record-registration.js';

interface Source {
  line: string;
  definition: Definition | null;
  /** The loader copy installed for a definition whose interpreter is @loader. */
  loader: InstalledLoader | null;
}

function lineFromOptions(o: Record<string, unknown>): string {
  const str = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  const name = str('name');
  if (!name) throw new BinfmtError('EUSAGE', 'register: give NAME, --line, or --name with --magic or --extension', 'name');
  if (!str('interpreter')) throw new BinfmtError('EUSAGE', 'register: --interpreter is required with --name', 'interpreter');
  const ext = str('extension');
  const magic = str('magic');
  if ((ext === '') === (magic === '')) throw new BinfmtError('EUSAGE', 'register: give exactly one of --magic and --extension', ext ? 'extension' : 'magic');
  const fields = ext
    ? [name, 'E', '', ext, '', str('interpreter'), str('flags')]
    : [name, 'M', str('offset'), magic, str('mask'), str('interpreter'), str('flags')];
  const d = DELIMITERS.find((c) => fields.every((f) => !f.includes(c)));
  if (!d) throw new BinfmtError('EINVAL', 'register: the fields use every usable delimiter', 'name');
  return d + fields.join(d);
}

function source(args: unknown[], o: Record<string, unknown>): Source {
  const name = args[0] as string | undefined;
  if (typeof o.line === 'string') {
    if (name) throw new BinfmtError('EUSAGE', 'register: give either NAME or --line, not both', 'line');
    return { line: o.line, definition: null, loader: null };
  }
  if (name) {
    const dirs = Array.isArray(o.configDir) ? (o.configDir as string[]).map((d) => existingDir(d, '--config-dir')) : undefined;
    const def = findDefinition(name, dirs);
    const installed = installLoaderFor(def, { loaderDir: typeof o.loaderDir === 'string' ? o.loaderDir : undefined, dryRun: o.dryRun === true });
    return { line: installed.line, definition: def, loader: installed.loader ? installed : null };
  }
  return { line: lineFromOptions(o), definition: null, loader: null };
}

export const run: Runner = async (args, opts) => {
  const src = source(args, opts);
  const where = src.definition ? `${src.definition.file}:${src.definition.line}: ` : '';
  const kernel = new BinfmtMisc(opts.mount);
  kernel.ensureMounted();
  // A dry run installs no loader copy: check the interpreter as the copy it would install (the built loader).
  const pending = opts.dryRun === true && src.loader?.loader ? src.loader.loader : null;
  const asInstalled = (p: string) => (p === pending ? loaderPath() : p);
  const parsed: ParseResult = parseRegister(src.line, { exists: (n) => kernel.has(n), openInterpreter: (p) => openExecErrno(asInstalled(p)) });
  const loader = src.loader?.stamp ? { path: src.loader.loader, written: src.loader.stamp.written, config: src.loader.stamp.config } : null;
  const base = { line: src.line, source: src.definition ? `${src.definition.file}:${src.definition.line}` : null, dryRun: opts.dryRun === true, mount: kernel.mount, loader };
  const stampWarnings = src.loader?.stamp?.warnings ?? [];
  if (!parsed.ok) {
    const lines = parsed.diagnostics.map((d) => diagnosticLine(d, where));
    return result({ ...base, registered: false, errno: parsed.errno, entry: null, diagnostics: parsed.diagnostics }, '', 1, [...lines, `not registered: the kernel would refuse it with ${parsed.errno}`]);
  }
  const interpreter = asInstalled(parsed.entry.interpreter);
  const guards = lintEntry(parsed.entry, { ...probeFor(interpreter), interpreterErrno: openExecErrno(interpreter) });
  const diagnostics = [...parsed.diagnostics, ...guards];
  const refusals = guards.filter((d) => d.severity === 'error');
  const warned = diagnostics.filter((d) => d.severity === 'warning');
  const warnings = [...stampWarnings, ...warned.map((d) => diagnosticLine(d, where))];
  if (refusals.length && !opts.force) {
    return result({ ...base, registered: false, errno: null, entry: entryJson(parsed.entry), diagnostics }, '', 1,
      [...warnings, ...refusals.map((d) => diagnosticLine(d, where)), 'not registered: a safety guard refused it (use --force to register anyway)']);
  }
  if (opts.strict && warned.length) {
    return result({ ...base, registered: false, errno: null, entry: entryJson(parsed.entry), diagnostics }, '', 1,
      [...warnings, `not registered: --strict refuses an entry with ${warned.length === 1 ? 'a warning' : `${warned.length} warnings`}`]);
  }
  if (opts.dryRun) {
    const install = pending ? `would install ${pending} (binfmt-loader, stamped)\n` : '';
    return result({ ...base, registered: false, errno: null, entry: entryJson(parsed.entry), diagnostics }, `${install}would register '${parsed.entry.name}' in ${kernel.mount}: ${src.line}`, 0, warnings);
  }
  const got = kernel.register(new TextEncoder().encode(src.line), parsed.entry);
  try {
    recordRegistration(stateDirOf(opts), kernel.mount, got, src.definition ? `${REGISTER_SOURCE} (${base.source})` : REGISTER_SOURCE);
  } catch (e) {
    warnings.push(`registered, but the ownership state was not recorded: ${e instanceof Error ? e.message : String(e)}`);
  }
  return result({ ...base, registered: true, errno: null, entry: entryJson(got), diagnostics }, `registered '${got.name}' in ${kernel.mount}`, 0, warnings);
};

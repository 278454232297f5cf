/**
 * `binfmt register`: from a raw line (--line), from options, or from a named
 * definition. Validates exactly as the kernel would (with the kernel's errno),
 * runs the safety guards, then writes once and reads back.
 */
import { join } from 'node:path';
import { BinfmtError } from '../../core/binfmt-error.js';
import { lintEntry } from '../../core/entry-lint.js';
import { parseRegister, type ParseResult } from '../../core/register-parse.js';
import { DELIMITERS } from '../../core/register-format.js';
import { findDefinition, type Definition } from '../../config/definitions.js';
import { installLoaderFor, type InstalledLoader } from '../../ops/install-loader.js';
import { hostWideMessage, isHostRuntimeEntry } from '../../core/host-wide.js';
import { withInterpreter } from '../../core/loader-directive.js';
import { inInitialUserNs, visibleInside, type OpenedInstance } from '../../kernel/pid-instance.js';
import { instanceOf } from '../requests.js';
import { openExecErrno } from '../../kernel/interpreter-probe.js';
import { probeFor } from '../../kernel/file-facts.js';
import { diagnosticLine } from '../diagnostics-text.js';
import { entryJson } from '../entry-json.js';
import { result, type Runner } from '../output.js';

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
    const dirs = Array.isArray(o.configDir) ? (o.configDir as string[]) : undefined;
    const def = findDefinition(name, dirs);
    const installed = installLoaderFor(def, { loaderDir: typeof o.loaderDir === 'string' ? o.loaderDir : undefined, dryRun: o.dryRun === true });
    return { line: installed.line, definition: def, loader: installed.loader ? installed : null };
  }
  return { line: lineFromOptions(o), definition: null, loader: null };
}

/**
 * With --pid, interpreter paths are paths inside that process's root: the
 * loader copy installed on the host is registered under the path the
 * container sees it at (/run/host/… when it has the host's root there).
 */
function inContainer(src: Source, pid: number): Source {
  if (!src.loader?.loader || !src.definition) return src;
  const host = src.loader.loader;
  const seen = visibleInside(pid, '', host);
  if (!seen) {
    throw new BinfmtError(
      'ENOENT',
      `--pid ${pid}: the loader ${host} is not visible inside that process's root, ` +
        'neither under /run/host nor at the same path ' +
        '(give the container the host\'s root at /run/host: podman run -v /:/run/host:rslave)',
      '--loader-dir',
    );
  }
  return { ...src, line: withInterpreter(src.definition.text, seen) };
}

export const run: Runner = async (args, opts) => {
  const inst = instanceOf(opts, true);
  try {
    return register(inst, inst.pid === null ? source(args, opts) : inContainer(source(args, opts), inst.pid), opts);
  } finally {
    inst.close();
  }
};

async function register(inst: OpenedInstance, src: Source, opts: Parameters<Runner>[1]): ReturnType<Runner> {
  const where = src.definition ? `${src.definition.file}:${src.definition.line}: ` : '';
  const kernel = inst.kernel;
  kernel.ensureMounted();
  const seen = (p: string): string => (kernel.root ? join(kernel.root, p) : p);
  const parsed: ParseResult = parseRegister(src.line, { exists: (n) => kernel.has(n), openInterpreter: (p) => openExecErrno(seen(p)) });
  const loader = src.loader?.stamp ? { path: src.loader.loader, written: src.loader.stamp.written, config: src.loader.stamp.config } : null;
  const base = { line: src.line, source: src.definition ? `${src.definition.file}:${src.definition.line}` : null, dryRun: opts.dryRun === true, mount: inst.pid === null ? kernel.mount : null, pid: inst.pid, loader };
  const stampWarnings = src.loader?.stamp?.warnings ?? [];
  if (!parsed.ok) {
    const lines = parsed.diagnostics.map((d) => diagnosticLine(d, where));
    return result({ ...base, registered: false, errno: parsed.errno, entry: null, diagnostics: parsed.diagnostics }, '', 1, [...lines, `not registered: the kernel would refuse it with ${parsed.errno}`]);
  }
  const guards = lintEntry(parsed.entry, probeFor(seen(parsed.entry.interpreter)));
  const diagnostics = [...parsed.diagnostics, ...guards];
  const refusals = guards.filter((d) => d.severity === 'error');
  const warnings = [...stampWarnings, ...diagnostics.filter((d) => d.severity === 'warning').map((d) => diagnosticLine(d, where))];
  if (inst.pid === null && isHostRuntimeEntry(parsed.entry) && inInitialUserNs()) {
    warnings.push(hostWideMessage(parsed.entry.name));
  }
  if (refusals.length && !opts.force) {
    return result({ ...base, registered: false, errno: null, entry: entryJson(parsed.entry), diagnostics }, '', 1,
      [...warnings, ...refusals.map((d) => diagnosticLine(d, where)), 'not registered: a safety guard refused it (use --force to register anyway)']);
  }
  if (opts.dryRun) {
    return result({ ...base, registered: false, errno: null, entry: entryJson(parsed.entry), diagnostics }, `would register '${parsed.entry.name}' in ${kernel.label}: ${src.line}`, 0, warnings);
  }
  const got = kernel.register(new TextEncoder().encode(src.line), parsed.entry);
  return result({ ...base, registered: true, errno: null, entry: entryJson(got), diagnostics }, `registered '${got.name}' in ${kernel.label}`, 0, warnings);
}

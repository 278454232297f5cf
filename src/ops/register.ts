/**
 * `binfmt register`: one entry from a register string or a named definition
 * (binfmt.d directories, then the shipped ones; a definition run by the
 * chainloader gets its stamped loader installed first). Judged as the kernel
 * would (src/ops/check-line.ts), refused by a safety guard unless forced,
 * then written once and read back.
 */
import type { Definition } from '../config/definitions.js';
import { findDefinition } from '../config/definitions.js';
import type { Entry } from '../core/entry.js';
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import { hostWideMessage, isHostRuntimeEntry } from '../core/host-wide.js';
import { withInterpreter } from '../core/loader-directive.js';
import { openInstance } from '../kernel/instance.js';
import { inInitialUserNs, visibleInside } from '../kernel/pid-instance.js';
import { runningKernel } from '../kernel/running-kernel.js';
import { loaderPath } from '../loader/locate.js';
import { checkRegisterLine, type LineCheck } from './check-line.js';
import { recordRegistration, REGISTER_SOURCE } from './record-registration.js';
import { installLoaderFor, type InstalledLoader } from './install-loader.js';

export interface RegisterRequest {
  mount: string;
  /** The instance of this process's user namespace instead of `mount` (--pid); interpreters are paths inside its root. */
  pid: number | null;
  /** A register string, or a definition to look up by name. */
  source: { line: string } | { name: string; configDirs?: string[]; loaderDir?: string };
  force: boolean;
  /** Refuse an entry with any warning. */
  strict: boolean;
  dryRun: boolean;
  /** Where ownership is recorded (src/ops/record-registration.ts). */
  stateDir: string;
}

export interface Registration {
  mount: string;
  pid: number | null;
  /** How the instance is named in messages (the mount, or PID's). */
  label: string;
  /** Warnings about where it is registered (a host-wide host-runtime entry). */
  warnings: string[];
  /** The register string written (or that would be). */
  line: string;
  definition: Definition | null;
  /** The loader copy installed for a definition whose interpreter is @loader. */
  loader: InstalledLoader | null;
  check: LineCheck;
  /** Why nothing was registered: the kernel would refuse it, a guard refused it, --strict and a warning, or a dry run. */
  refused: 'kernel' | 'guard' | 'strict' | null;
  /** On a dry run, the loader copy that would be installed (the check judged the built loader in its place). */
  pendingLoader: string | null;
  /** The entry as the kernel shows it after registering; null when nothing was registered. */
  registered: Entry | null;
}

export function registerEntry(req: RegisterRequest): Registration {
  let line: string;
  let definition: Definition | null = null;
  let loader: InstalledLoader | null = null;
  if ('line' in req.source) {
    line = req.source.line;
  } else {
    definition = findDefinition(req.source.name, req.source.configDirs);
    const installed = installLoaderFor(definition, { loaderDir: req.source.loaderDir, dryRun: req.dryRun });
    line = installed.line;
    loader = installed.loader ? installed : null;
  }
  const inst = openInstance({ mount: req.mount, pid: req.pid, attach: !req.dryRun });
  try {
    if (req.pid !== null && definition && loader?.loader) line = lineInContainer(definition, loader.loader, req.pid);
    const kernel = inst.kernel;
    kernel.ensureMounted();
    // A dry run installs no loader copy: check the interpreter as the copy it would install (the built loader).
    const pendingLoader = req.dryRun && loader?.loader ? loader.loader : null;
    const check = checkRegisterLine(line, kernel, runningKernel(), {
      asInstalled: (p) => (pendingLoader !== null && p === loader?.loader ? loaderPath() : p),
      warnMissing: true,
    });
    const warnings =
      req.pid === null && check.ok && isHostRuntimeEntry(check.entry) && inInitialUserNs()
        ? [hostWideMessage(check.entry.name)]
        : [];
    const base = {
      mount: kernel.mount,
      pid: req.pid,
      label: kernel.label,
      warnings,
      line,
      definition,
      loader,
      check,
      pendingLoader,
      registered: null,
    };
    if (!check.ok) return { ...base, refused: 'kernel' };
    if (check.guards.some((d) => d.severity === 'error') && !req.force) return { ...base, refused: 'guard' };
    // --strict refuses any warning the command would print: the string's, the stamp's, or a host-wide entry.
    const warned =
      [...check.diagnostics, ...check.guards].some((d) => d.severity === 'warning') ||
      warnings.length > 0 ||
      (loader?.stamp?.warnings.length ?? 0) > 0;
    if (req.strict && warned) return { ...base, refused: 'strict' };
    if (req.dryRun) return { ...base, refused: null };
    const registered = kernel.register(new TextEncoder().encode(line), check.entry);
    // A container's instance (--pid) lives and dies with its user namespace: nothing to record on the host.
    if (req.pid !== null) return { ...base, refused: null, registered };
    try {
      const source = definition ? `${REGISTER_SOURCE} (${definition.file}:${definition.line})` : REGISTER_SOURCE;
      recordRegistration(req.stateDir, inst.key, registered, source);
    } catch (e) {
      warnings.push(
        `registered, but the ownership state was not recorded: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    return { ...base, refused: null, registered };
  } finally {
    inst.close();
  }
}

/**
 * With --pid, interpreter paths are paths inside that process's root: the
 * loader copy installed on the host is registered under the path the
 * container sees it at (/run/host/… when it has the host's root there).
 */
function lineInContainer(definition: Definition, hostPath: string, pid: number): string {
  const seen = visibleInside(pid, '', hostPath);
  if (!seen) {
    throw new BinfmtError(
      'ENOENT',
      [
        option('pid', String(pid)),
        `: the loader ${hostPath} is not visible inside that process's root, neither under /run/host nor at the same path`,
      ],
      option('loaderDir'),
      ["give the container the host's root at /run/host: podman run -v /:/run/host:rslave"],
    );
  }
  return withInterpreter(definition.text, seen);
}

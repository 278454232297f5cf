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
import { BinfmtMisc } from '../kernel/binfmt-misc.js';
import { runningKernel } from '../kernel/running-kernel.js';
import { checkRegisterLine, type LineCheck } from './check-line.js';
import { installLoaderFor, type InstalledLoader } from './install-loader.js';

export interface RegisterRequest {
  mount: string;
  /** A register string, or a definition to look up by name. */
  source: { line: string } | { name: string; configDirs?: string[]; loaderDir?: string };
  force: boolean;
  dryRun: boolean;
}

export interface Registration {
  mount: string;
  /** The register string written (or that would be). */
  line: string;
  definition: Definition | null;
  /** The loader copy installed for a definition whose interpreter is @loader. */
  loader: InstalledLoader | null;
  check: LineCheck;
  /** Why nothing was registered: the kernel would refuse it, a guard refused it, or a dry run. */
  refused: 'kernel' | 'guard' | null;
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
  const kernel = new BinfmtMisc(req.mount);
  kernel.ensureMounted();
  const check = checkRegisterLine(line, kernel, runningKernel());
  const base = { mount: kernel.mount, line, definition, loader, check, registered: null };
  if (!check.ok) return { ...base, refused: 'kernel' };
  if (check.guards.some((d) => d.severity === 'error') && !req.force) return { ...base, refused: 'guard' };
  if (req.dryRun) return { ...base, refused: null };
  return { ...base, refused: null, registered: kernel.register(new TextEncoder().encode(line), check.entry) };
}

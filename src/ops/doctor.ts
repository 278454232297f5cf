/**
 * binfmt doctor: gathers the facts (mount, user namespace, kernel features,
 * each entry's interpreter, ownership, configuration) and hands them to the
 * pure judgement in src/core/doctor-findings.ts.
 */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMountinfo, mountAt } from '../core/mountinfo.js';
import {
  driftFindings,
  entryFindings,
  featureFindings,
  mountFindings,
  type Finding,
  type MountFacts,
} from '../core/doctor-findings.js';
import { lintEntry } from '../core/entry-lint.js';
import { BinfmtMisc } from '../kernel/binfmt-misc.js';
import { probeFeatures } from '../kernel/feature-probe.js';
import { pinState } from '../kernel/interpreter-pin.js';
import { interpreterFacts, nativeSamples } from '../kernel/file-facts.js';
import { openExecErrno } from '../kernel/interpreter-probe.js';
import { reconcile } from './reconcile.js';

export interface DoctorOptions {
  mount: string;
  configRoot: string;
  stateDir: string;
  /** Skip the throw-away sandbox probe of kernel features. */
  noProbe?: boolean;
}

/** true/false when /proc/1/ns/user can be compared; else a hint from uid_map (an identity map of all ids). */
function initialUserns(): boolean | null {
  try {
    return readlinkSync('/proc/self/ns/user') === readlinkSync('/proc/1/ns/user');
  } catch {
    try {
      return /^\s*0\s+0\s+4294967295\s*$/.test(readFileSync('/proc/self/uid_map', 'utf8'));
    } catch {
      return null;
    }
  }
}

function mountFacts(path: string): MountFacts {
  const full = resolve(path);
  let mount = null;
  try {
    mount = mountAt(parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')), full);
  } catch {
    /* no /proc: reported as not mounted */
  }
  let enabled: boolean | null = null;
  if (mount?.fsType === 'binfmt_misc') {
    try {
      enabled = readFileSync(`${full}/status`, 'utf8').trim() === 'enabled';
    } catch {
      enabled = null;
    }
  }
  return { path: full, exists: existsSync(full), mount, initialUserns: initialUserns(), enabled };
}

export interface DoctorReport {
  findings: Finding[];
  entries: number;
}

export function doctor(opts: DoctorOptions): DoctorReport {
  const m = mountFacts(opts.mount);
  const findings = [...mountFindings(m)];
  if (!opts.noProbe) findings.push(...featureFindings(probeFeatures()));
  if (m.mount?.fsType !== 'binfmt_misc') return { findings, entries: 0 };

  const r = reconcile({ configRoot: opts.configRoot, mount: opts.mount, stateDir: opts.stateDir });
  const configured = new Set(r.plan.actions.filter((a) => a.kind !== 'remove').map((a) => a.name));
  const owned = new Set(r.owned.map((o) => o.name));
  const natives = nativeSamples();
  const kernel = new BinfmtMisc(opts.mount);
  const facts = kernel.list().map((entry) => {
    const F = entry.flags.includes('F');
    return {
      entry,
      interpreterErrno: F ? null : openExecErrno(entry.interpreter),
      pin: F ? pinState(entry.interpreter) : null,
      lint: lintEntry(entry, { natives, interpreter: interpreterFacts(entry.interpreter) }),
      owned: owned.has(entry.name),
      configured: configured.has(entry.name),
    };
  });
  findings.push(...entryFindings(facts), ...driftFindings(r.plan));
  for (const p of r.problems)
    findings.push({ severity: p.severity, code: 'config', subject: p.where, message: p.message, fix: null });
  for (const x of r.refusals) {
    const message = `'${x.name}': the kernel will refuse it (${x.errno}): ${x.message}; apply skips it`;
    const fix = 'install the interpreter, or remove or mask the line';
    findings.push({ severity: 'warning', code: 'config', subject: x.source, message, fix });
  }
  return { findings, entries: facts.length };
}

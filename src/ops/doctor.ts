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
  finding,
  mountFindings,
  type Finding,
  type MountFacts,
} from '../core/doctor-findings.js';
import { emulatorFindings } from '../core/emulator-findings.js';
import { lintEntry } from '../core/entry-lint.js';
import { kernelRuleFindings } from '../core/kernel-findings.js';
import { hostWideFindings } from '../core/host-wide.js';
import { openInstance } from '../kernel/instance.js';
import { checkPid, PID_MOUNTPOINT } from '../kernel/pid-instance.js';
import { probeFeatures } from '../kernel/feature-probe.js';
import { pinState } from '../kernel/interpreter-pin.js';
import { interpreterFacts, nativeSamples } from '../kernel/file-facts.js';
import { openExecErrno } from '../kernel/interpreter-probe.js';
import { runningKernel } from '../kernel/running-kernel.js';
import { reconcile } from './reconcile.js';

export interface DoctorOptions {
  mount: string;
  /** The instance of this process's user namespace instead (--pid), looked at in its mount namespace. */
  pid?: number | null;
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

/** The mount at `path` as the process `pid` (or this one) sees it; `prefix` is how this process reaches that process's root. */
function mountFacts(path: string, pid: number | null): MountFacts {
  const full = resolve(path);
  const prefix = pid === null ? '' : `/proc/${pid}/root`;
  let mount = null;
  try {
    mount = mountAt(parseMountinfo(readFileSync(`/proc/${pid ?? 'self'}/mountinfo`, 'utf8')), full);
  } catch {
    /* no /proc: reported as not mounted */
  }
  let enabled: boolean | null = null;
  if (mount?.fsType === 'binfmt_misc') {
    try {
      enabled = readFileSync(`${prefix}${full}/status`, 'utf8').trim() === 'enabled';
    } catch {
      enabled = null;
    }
  }
  // With --pid the instance is PID's, never the initial namespace's (refused before this point); the findings about
  // "this process's" namespace do not apply, hence null.
  return {
    path: full,
    exists: existsSync(`${prefix}${full}`),
    mount,
    initialUserns: pid === null ? initialUserns() : null,
    enabled,
  };
}

export interface DoctorReport {
  findings: Finding[];
  entries: number;
}

export function doctor(opts: DoctorOptions): DoctorReport {
  const pid = opts.pid ?? null;
  if (pid !== null) checkPid(pid);
  const m = mountFacts(pid === null ? opts.mount : `/${PID_MOUNTPOINT}`, pid);
  const findings = [...mountFindings(m), ...kernelRuleFindings(runningKernel())];
  if (!opts.noProbe) findings.push(...featureFindings(probeFeatures()));
  if (m.mount?.fsType !== 'binfmt_misc') return { findings, entries: 0 };

  const r = reconcile({ configRoot: opts.configRoot, mount: opts.mount, pid, stateDir: opts.stateDir });
  const configured = new Set(r.plan.actions.filter((a) => a.kind !== 'remove').map((a) => a.name));
  const owned = new Set(r.owned.map((o) => o.name));
  const sources = new Map(r.owned.map((o) => [o.name, o.source]));
  const natives = nativeSamples();
  const inst = openInstance({ mount: opts.mount, pid, attach: false });
  let entries;
  try {
    entries = inst.kernel.list();
  } finally {
    inst.close();
  }
  const seen = (p: string): string => (inst.kernel.root ? `${inst.kernel.root}${p}` : p);
  const facts = entries.map((entry) => {
    const F = entry.flags.includes('F');
    return {
      entry,
      interpreterErrno: F ? null : openExecErrno(seen(entry.interpreter)),
      pin: F && pid === null ? pinState(entry.interpreter) : null,
      lint: lintEntry(entry, { natives, interpreter: interpreterFacts(seen(entry.interpreter)) }),
      owned: owned.has(entry.name),
      configured: configured.has(entry.name),
    };
  });
  findings.push(
    ...entryFindings(facts),
    ...driftFindings(r.plan, sources),
    ...hostWideFindings(entries, m.initialUserns === true),
    ...emulatorFindings(entries, owned),
  );
  for (const p of r.problems) findings.push({ ...p, subject: p.source, fix: null });
  for (const x of r.refusals) {
    const message = `'${x.name}': the kernel will refuse it (${x.errno}): ${x.message}; apply skips it`;
    const fix = ['install the interpreter, or remove or mask the line'];
    findings.push({
      ...finding('warning', 'config-refused', x.source, message, fix),
      source: x.source,
      errno: x.errno,
    });
  }
  return { findings, entries: facts.length };
}

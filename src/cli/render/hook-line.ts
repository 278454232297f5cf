/**
 * The one line per OCI hook decision (src/ops/oci-hook.ts,
 * src/ops/oci-emulate.ts), as the runtime and the hook's log show it: both
 * hooks worded alike.
 */
import { HOOK_ENTRY, type HookAction, type HookOutcome } from '../../ops/oci-hook.js';
import type { EmulateOutcome } from '../../ops/oci-emulate.js';

/** What a hook decided about one container, as its one line needs it. */
export interface HookDecision {
  container: string;
  pid: number;
  action: HookAction;
  interpreter: string | null;
  reason: string;
  exitCode: number;
}

/**
 * The line for either hook: `entry` is the entry it registers (null: not
 * known, as for an emulator whose architecture could not be told),
 * `skipped` what it says of a container it leaves alone.
 */
export function decisionLine(h: HookDecision, entry: string | null, skipped: string): string {
  const who = `container ${h.container} (pid ${h.pid})`;
  switch (h.action) {
    case 'registered':
      return `oci-hook: ${who}: registered ${entry} -> ${h.interpreter} in its binfmt_misc (${h.reason})`;
    case 'present':
      return `oci-hook: ${who}: ${entry} is already registered in its binfmt_misc (${h.reason})`;
    case 'would-register':
      return `oci-hook: ${who}: would register ${entry} -> ${h.interpreter} in its binfmt_misc (${h.reason})`;
    case 'skipped':
      return `oci-hook: ${who}: ${skipped}: ${h.reason}`;
    case 'failed':
      return `oci-hook: ${who}: ${entry ? `${entry} not registered` : 'no emulator registered'}: ${h.reason}${h.exitCode ? '' : ' (container starts anyway)'}`;
  }
}

/** The host-runtime hook's line. */
export function hookLine(h: Omit<HookOutcome, 'fix'>): string {
  return decisionLine(h, HOOK_ENTRY, 'not matched');
}

/** The emulation hook's line. */
export function emulateLine(h: EmulateOutcome): string {
  return decisionLine(h, h.arch ? `qemu-${h.arch}` : null, 'no emulation needed');
}

/**
 * Probes what the running kernel's binfmt_misc accepts, in a throw-away
 * private instance (src/kernel/sandbox.ts): nothing on the machine changes.
 * - each flag letter: register a harmless extension entry with it;
 * - AT_FLAGS: a P entry whose interpreter is node itself runs a script that
 *   reads its own /proc/self/auxv and reports AT_FLAGS (type 8).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MOUNT } from './binfmt-misc.js';
import { sandboxArgv, sandboxSupport } from './sandbox.js';
import { AT_FLAGS_PRESERVE_ARGV0 } from '../core/limits.js';
import type { FeatureFacts } from '../core/doctor-findings.js';

/** Flags to try: the four of Linux 4.8+, and letters proposed upstream but not merged as of 6.18
 * (tested there: the kernel answers EINVAL to each). */
export const PROBE_FLAGS = ['P', 'O', 'C', 'F', 'T', 'L', 'D', 'B'];
/** auxv type of AT_FLAGS (include/uapi/linux/auxvec.h). */
const AT_FLAGS = 8;
const PROBE_TIMEOUT_MS = 20_000;

const AUXV_SCRIPT = `const b = require('fs').readFileSync('/proc/self/auxv');
for (let i = 0; i + 16 <= b.length; i += 16) if (b.readBigUInt64LE(i) === ${AT_FLAGS}n) console.log('atflags=' + b.readBigUInt64LE(i + 8));
`;

export function probeFeatures(): FeatureFacts {
  const support = sandboxSupport();
  if (!support.ok) return { unavailable: support.reason, flags: {}, atFlags: null };
  const dir = mkdtempSync(join(tmpdir(), 'binfmt-probe-'));
  try {
    const probe = join(dir, 'probe.bfprobe');
    writeFileSync(probe, AUXV_SCRIPT, { mode: 0o755 });
    const M = DEFAULT_MOUNT;
    const script = [
      ...PROBE_FLAGS.map(
        (l, i) =>
          `printf ':probe${i}:E::probe${i}::/bin/sh:${l}' > ${M}/register 2>/dev/null && echo flag${l}=1 || echo flag${l}=0`,
      ),
      `printf ':atflags:E::bfprobe::${process.execPath}:P' > ${M}/register && ${probe}`,
    ].join('\n');
    const [bin, ...args] = sandboxArgv(['sh', '-c', script]);
    const r = spawnSync(bin!, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
    if (r.status !== 0)
      return {
        unavailable: `the probe sandbox failed: ${r.stderr.trim() || `exit ${r.status}`}`,
        flags: {},
        atFlags: null,
      };
    const flags: Record<string, boolean> = {};
    for (const m of r.stdout.matchAll(/^flag(\w)=([01])$/gm)) flags[m[1]!] = m[2] === '1';
    const at = /^atflags=(\d+)$/m.exec(r.stdout);
    return { unavailable: null, flags, atFlags: at ? (Number(at[1]) & AT_FLAGS_PRESERVE_ARGV0) !== 0 : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the running kernel lacks, for `binfmt doctor`, judged from its version
 * by the rules table (kernel-rules.ts): this works on kernels where no
 * throw-away sandbox can be made to probe features (before 6.7).
 */
import { kernelFinding, type Finding } from './doctor-findings.js';
import { AT_FLAGS_P, FLAG_DELIMITER, USERNS_INSTANCES, ruleState } from './kernel-rules.js';
import { formatKernel, type KernelVersion } from './kernel-version.js';
import { binfmt, option, plainText } from './fix.js';

export function kernelRuleFindings(v: KernelVersion | undefined): Finding[] {
  const f = kernelFinding;
  if (!v)
    return [
      f(
        'info',
        'kernel-version-unknown',
        "the running kernel's version could not be read (/proc/version, uname -r): rules that differ between kernels are judged as on the newest",
      ),
    ];
  const name = `Linux ${formatKernel(v)}`;
  const out: Finding[] = [];
  const ns = ruleState(USERNS_INSTANCES, v);
  if (ns.state === 'old') {
    out.push(
      f(
        'warning',
        'no-userns-instances',
        `${name} has no per-user-namespace binfmt_misc instances (${USERNS_INSTANCES.mainline}): ${plainText([binfmt('sandbox')])} cannot work here, a container's registrations reach the machine's own instance, and entries survive unmounting`,
        [
          "register and test on this machine's instance with care (",
          option('dryRun'),
          ` first), or use a ${USERNS_INSTANCES.mainline}+ kernel for private instances`,
        ],
      ),
    );
  } else if (ns.state === 'unknown')
    out.push(f('info', 'userns-instances-unknown', `per-user-namespace instances: ${ns.reason}`));
  const p = ruleState(AT_FLAGS_P, v);
  if (p.state === 'old') {
    out.push(
      f(
        'warning',
        'no-at-flags-p',
        `${name} does not tell a P interpreter through AT_FLAGS (${AT_FLAGS_P.mainline}; 5.10 stable from 5.10.262): an interpreter must know by other means that argv[0] is preserved`,
        ['serve P entries with a loader copy stamped as serving P, or register without P'],
      ),
    );
  } else if (p.state === 'unknown') out.push(f('info', 'at-flags-p-unknown', `AT_FLAGS for P: ${p.reason}`));
  // Only what differs from the newest kernels is worth a line.
  const d = ruleState(FLAG_DELIMITER, v);
  if (d.state !== 'new') {
    out.push(
      f(
        'info',
        'flag-delimiter',
        d.state === 'old'
          ? `${name} accepts a flag letter (P, O, C, F) as the delimiter when the flags end at a final newline; newer stable kernels refuse it`
          : `a flag letter as the delimiter: ${d.reason}`,
      ),
    );
  }
  return out;
}

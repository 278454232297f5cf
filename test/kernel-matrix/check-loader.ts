/**
 * The loader as a binfmt_misc interpreter on one booted kernel (guest job
 * 20-loader.sh): every program run directly and through an entry per flag set.
 * Expected: what Linux 6.18 gives (test/loader/binfmt.test.ts), except where a
 * kernel is documented to differ (docs/kernel-support.7.md):
 *   before 5.12 (5.10.223; 5.10 stable got it later) the kernel does not
 *   announce P in AT_FLAGS, so a copy that does not know its entry has P
 *   cannot tell [path, argv0, args] from [path, args]: the program sees its
 *   path as argv[0] and the wanted argv[0] as an extra first argument. A copy
 *   stamped as serving a P entry gets argv right on every kernel.
 */
import { AT_FLAGS_P, ruleState } from '../../src/core/kernel-rules.js';
import type { KernelVersion } from '../../src/core/kernel-version.js';
import { AT, parseProbe } from '../loader/helpers.js';

/** Flag sets; those ending in "s" are served by the copy stamped as a P entry's (guest job 20-loader.sh). */
export const FLAG_SETS = ['none', 'P', 'O', 'PO', 'F', 'POF', 'C', 'Ps', 'POs', 'POFs'];
/** Where no stamped copy is built (arm64). */
export const UNSTAMPED_SETS = FLAG_SETS.filter((f) => !f.endsWith('s'));
export const GUEST_LOADER = '/t/binfmt-loader';
export const GUEST_LOADER_P = '/t/binfmt-loader-p';
const ARGS = ['one', 'two words', '7'];

export interface LoaderResult {
  total: number;
  passed: number;
  /** Cases that pass as a documented difference from 6.18. */
  documented: string[];
  failures: string[];
}

function statusArgv(line: string): string[] {
  return [...line.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
}

export function checkLoader(
  lines: string[],
  programs: string[],
  kernel: KernelVersion,
  sets = FLAG_SETS,
): LoaderResult {
  const seen = new Map<string, string>();
  for (const l of lines) {
    const m = /^([LX]) (\S+) ?(.*)$/.exec(l);
    if (m) seen.set(`${m[1]} ${m[2]}`, m[3]!);
  }
  const noAtFlagsP = ruleState(AT_FLAGS_P, kernel).state === 'old';
  const failures: string[] = [];
  const documented: string[] = [];
  let passed = 0;
  let total = 0;
  for (const prog of programs) {
    const isStatus = prog === 'status';
    const direct = seen.get(`L direct:${prog}`);
    // Command mode: binfmt-loader --argv0 myname -- PROGRAM ARGS.
    total++;
    const cmd = seen.get(`L cmd:${prog}`) ?? '';
    const cmdArgv = isStatus
      ? statusArgv(cmd)
      : (() => {
          try {
            return parseProbe(cmd).argv;
          } catch {
            return null;
          }
        })();
    const cmdHow = seen.get(`X cmd:${prog}`);
    if (JSON.stringify(cmdArgv) === JSON.stringify(['myname', ...ARGS]) && cmdHow === (isStatus ? 'exit 7' : 'exit 0'))
      passed++;
    else failures.push(`cmd:${prog}: argv ${JSON.stringify(cmdArgv)}, ended '${cmdHow}': ${cmd.slice(0, 160)}`);
    for (const f of sets) {
      total++;
      const tag = `${f}:${prog}`;
      const fail = (why: string): void => void failures.push(`${tag}: ${why}`);
      const i = sets.indexOf(f);
      const path = `/tmp/${prog}.bf${i}`;
      const how = seen.get(`X ${tag}`);
      const line = seen.get(`L ${tag}`);
      if (how !== (isStatus ? 'exit 7' : 'exit 0')) {
        fail(`ended '${how}'${line && !line.startsWith('{') ? `: ${line}` : ''}`);
        continue;
      }
      const withP = f.includes('P');
      let want = [withP ? 'myname' : path, ...ARGS];
      const stamped = f.endsWith('s');
      const differs = withP && noAtFlagsP && !stamped;
      if (differs) want = [path, 'myname', ...ARGS];
      try {
        if (isStatus) {
          const got = statusArgv(line ?? '');
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            fail(`argv ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
            continue;
          }
        } else {
          const c = parseProbe(line ?? '');
          const d = parseProbe(direct ?? '');
          const o = f.includes('O') || f.includes('C');
          const problems = [
            JSON.stringify(c.argv) !== JSON.stringify(want) &&
              `argv ${JSON.stringify(c.argv)}, want ${JSON.stringify(want)}`,
            c.exe !== (stamped ? GUEST_LOADER_P : GUEST_LOADER) && `/proc/self/exe ${c.exe}`,
            c.auxv.get(AT.FLAGS) !== 0 && `AT_FLAGS ${c.auxv.get(AT.FLAGS)}`,
            c.auxv.has(AT.EXECFD) && 'AT_EXECFD reached the program',
            c.auxv.has(AT.IGNORE) !== o && `AT_IGNORE ${c.auxv.has(AT.IGNORE) ? 'present' : 'missing'}`,
            c.auxv.get(AT.EXECFN) !== path && `AT_EXECFN ${c.auxv.get(AT.EXECFN)}`,
            JSON.stringify(c.fds) !== JSON.stringify(d.fds) &&
              `fds ${JSON.stringify(c.fds)}, direct ${JSON.stringify(d.fds)}`,
          ].filter(Boolean) as string[];
          if (problems.length) {
            fail(problems.join('; '));
            continue;
          }
        }
      } catch (e) {
        fail(`no probe output: ${(line ?? '').slice(0, 120)} (${(e as Error).message})`);
        continue;
      }
      if (differs) documented.push(`${tag}: argv ${JSON.stringify(want)} (no AT_FLAGS P bit; an unstamped copy)`);
      passed++;
    }
  }
  return { total, passed, documented, failures };
}

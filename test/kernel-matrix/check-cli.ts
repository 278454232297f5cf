/**
 * The CLI inside a VM (guest/cli-job.sh), against the VM's own binfmt_misc on
 * kernels without per-namespace instances: sandbox refuses with the reason,
 * doctor names what the kernel lacks, register/list/show/disable/enable/remove
 * change the instance as the kernel shows, an exec goes through the entry, and
 * validate's verdict for the running kernel matches the kernel's own, and
 * `emulate --pid` (a user namespace's own instance) refuses in one line that
 * names the kernel it needs and what to do instead; `emulate --podman` in one line too.
 */
export interface CliResult {
  total: number;
  passed: number;
  failures: string[];
}

interface Step {
  status: number;
  out: string;
}

export function checkCli(lines: string[]): CliResult {
  const steps = new Map<string, Step>();
  for (const l of lines) {
    const m = /^C (\S+) (\d+) ?(.*)$/.exec(l);
    if (m) steps.set(m[1]!, { status: Number(m[2]), out: m[3]!.replaceAll('\x1f', '\n') });
  }
  const checks: [string, (s: Map<string, Step>) => string | null][] = [
    [
      'sandbox refuses with the reason',
      (s) => {
        const x = s.get('sandbox');
        return x && x.status !== 0 && /no per-user-namespace binfmt_misc instances/.test(x.out)
          ? null
          : `sandbox: ${JSON.stringify(x)}`;
      },
    ],
    [
      'emulate --pid refuses in one line, naming Linux 6.7 and what to do instead',
      (s) => {
        const x = s.get('emulate-pid');
        return x &&
          x.status !== 0 &&
          !x.out.trim().includes('\n') &&
          /\b6\.7\b/.test(x.out) &&
          /without --pid/.test(x.out)
          ? null
          : `emulate --pid: ${JSON.stringify(x)}`;
      },
    ],
    [
      'emulate --podman refuses in one line, saying what to do instead',
      (s) => {
        const x = s.get('emulate-podman');
        return x && x.status !== 0 && !x.out.trim().includes('\n') && /without --podman/.test(x.out)
          ? null
          : `emulate --podman: ${JSON.stringify(x)}`;
      },
    ],
    [
      'doctor names the missing instances',
      (s) => {
        const x = s.get('doctor');
        return x && /has no per-user-namespace binfmt_misc instances/.test(x.out)
          ? null
          : `doctor: ${JSON.stringify(x)}`;
      },
    ],
    ['register', (s) => (s.get('register')?.status === 0 ? null : `register: ${JSON.stringify(s.get('register'))}`)],
    [
      'list shows the entry',
      (s) =>
        s.get('list')?.status === 0 && /\bkt\b/.test(s.get('list')!.out)
          ? null
          : `list: ${JSON.stringify(s.get('list'))}`,
    ],
    [
      'show',
      (s) =>
        s.get('show')?.status === 0 && s.get('show')!.out.includes('/t/p/status')
          ? null
          : `show: ${JSON.stringify(s.get('show'))}`,
    ],
    [
      'disable, and the exec finds no entry (ENOEXEC)',
      (s) =>
        s.get('disable')?.status === 0 && s.get('exec-disabled')?.out.startsWith('errno 8\n')
          ? null
          : `disable: ${JSON.stringify([s.get('disable'), s.get('exec-disabled')])}`,
    ],
    [
      'enable, and an exec runs through the entry',
      (s) => {
        const x = s.get('exec');
        return s.get('enable')?.status === 0 && x?.out === '[/t/p/status] [/tmp/x.kt] [a] [5]\nexit 5'
          ? null
          : `enable/exec: ${JSON.stringify([s.get('enable'), x])}`;
      },
    ],
    [
      'remove',
      (s) => {
        const after = s.get('list-after');
        let names: string[] = ['?'];
        try {
          names = (JSON.parse(after?.out ?? '') as { name: string }[]).map((e) => e.name);
        } catch {
          /* reported below */
        }
        return s.get('remove')?.status === 0 && !names.includes('kt') && !names.includes('?')
          ? null
          : `remove: ${JSON.stringify([s.get('remove'), after])}`;
      },
    ],
    [
      'validate agrees with the running kernel',
      (s) => {
        const v = s.get('validate');
        const k = s.get('kernel-write');
        try {
          const [verdict] = JSON.parse(v?.out ?? '') as { valid: boolean | null }[];
          return verdict!.valid === (k?.status === 0)
            ? null
            : `validate says ${verdict!.valid}, the kernel's write exited ${k?.status}: ${k?.out}`;
        } catch {
          return `validate: ${JSON.stringify(v)}`;
        }
      },
    ],
  ];
  const failures = checks
    .map(([name, fn]) => [name, fn(steps)] as const)
    .filter(([, why]) => why !== null)
    .map(([n, why]) => `cli ${n}: ${why}`);
  return { total: checks.length, passed: checks.length - failures.length, failures };
}

/**
 * Shared by the loader tests: the built loader, the fixture programs (built
 * once per run into build/test-fixtures/loader by test/fixtures/loader/build.sh),
 * and the probe's output.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type Run } from '../helpers/sandbox.js';
import { loaderPath } from '../../src/loader/locate.js';

export const LOADER = loaderPath();
/**
 * The loader's size guard, per architecture: three 4 KiB pages. The kernel maps the file
 * in whole pages, and any size from 8193 to 12288 bytes is three of them: below the
 * guard a smaller file maps in the same number of pages and changes no measured exec
 * time (docs/binfmt-loader.8.md, PERFORMANCE); past it, every exec maps one page more.
 */
export const LOADER_MAX_SIZE = 3 * 4096;
export const FIXTURES = join(ROOT, 'build', 'test-fixtures', 'loader');
export const GLIBC_LDSO = '/lib64/ld-linux-x86-64.so.2';
export const MUSL_LDSO = '/lib/ld-musl-x86_64.so.1';

export function buildFixtures(): void {
  const r = spawnSync('bash', [join(ROOT, 'test', 'fixtures', 'loader', 'build.sh'), FIXTURES], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fixture build failed: ${r.stderr}`);
}

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function run(cmd: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Run {
  const r = spawnSync(cmd[0]!, cmd.slice(1), {
    encoding: 'utf8',
    env: opts.env ?? { PATH: process.env.PATH, PROBE: 'yes' },
    cwd: opts.cwd ?? FIXTURES,
    input: opts.input ?? '',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The variable the loader sets in every program it starts, naming that
 * program for its own re-executions (native/loader/selfexec.h).
 */
export const SELFEXEC_ENV = 'BINFMT_LOADER_EXE';

/** Text (an env listing) without the loader's own variable's line. */
export function withoutSelfexec(text: string): string {
  return text.replace(new RegExp(`^${SELFEXEC_ENV}=.*\n`, 'gm'), '');
}

/** auxv types whose values are addresses (differ per run) or strings. */
const ADDRESS_TYPES = new Set([3, 9, 25, 33]);
export const AT = { IGNORE: 1, EXECFD: 2, BASE: 7, FLAGS: 8, SECURE: 23, EXECFN: 31 } as const;

export interface Probe {
  argv: string[];
  env: string[];
  /** type -> value, "addr" for addresses, the string for string entries. */
  auxv: Map<number, string | number>;
  exe: string;
  comm: string;
  cmdline: string;
  fds: number[];
  misalign: number;
}

export function parseProbe(stdout: string): Probe {
  const d = JSON.parse(stdout) as { auxv: [number, number, string?][] } & Omit<Probe, 'auxv'>;
  const auxv = new Map<number, string | number>();
  for (const [t, v, s] of d.auxv) {
    if (s !== undefined) auxv.set(t, s);
    else if (ADDRESS_TYPES.has(t)) auxv.set(t, 'addr');
    else if (t === AT.BASE) auxv.set(t, v === 0 ? 0 : 'addr');
    else auxv.set(t, v);
  }
  return { ...d, auxv };
}

/** Everything but the listed keys (and the listed auxv types, and the
 * loader's own variable, checked apart), for comparison. */
export function comparable(p: Probe, skip: string[] = [], skipAux: number[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (!skip.includes(k) && k !== 'auxv') out[k] = v;
  if (out.env) out.env = p.env.filter((e) => !e.startsWith(`${SELFEXEC_ENV}=`));
  out.auxv = [...p.auxv.entries()].filter(([t]) => !skipAux.includes(t)).sort((a, b) => a[0] - b[0]);
  return out;
}

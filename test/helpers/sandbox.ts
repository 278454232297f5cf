/**
 * Test helpers for the private binfmt_misc sandbox (see src/kernel/sandbox.ts).
 * Every test that registers anything goes through here: never the machine's
 * own /proc/sys/fs/binfmt_misc.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { multiUserSandboxSupport, sandboxArgv, sandboxSupport } from '../../src/kernel/sandbox.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI (npm test builds before running vitest). */
export const CLI = join(ROOT, 'dist', 'cli', 'binfmt.cjs');
export const MOUNT = '/proc/sys/fs/binfmt_misc';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let support: ReturnType<typeof sandboxSupport> | undefined;
/** Whether a sandbox can be made here (cached); tests skip with the reason otherwise. */
export function canSandbox(): ReturnType<typeof sandboxSupport> {
  support ??= sandboxSupport();
  return support;
}

let multiUser: ReturnType<typeof sandboxSupport> | undefined;
/** Whether a sandbox that maps ordinary users too (mapUsers) can be made here (cached). */
export function canSandboxUsers(): ReturnType<typeof sandboxSupport> {
  multiUser ??= multiUserSandboxSupport();
  return multiUser;
}

export interface SandboxRunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
  mapUsers?: boolean;
}

/**
 * Runs a bash script in a fresh sandbox (its own binfmt_misc at MOUNT).
 * $CLI in the script is the built binfmt CLI (`node dist/cli/binfmt.cjs`).
 * With mapUsers, ids 0..65535 exist in the namespace, not only root.
 */
export function sandboxed(script: string, opts: SandboxRunOptions = {}): Run {
  return inSandbox(['bash', '-c', script], opts);
}

/**
 * Runs a bash script file (next to the test: `new URL('x.sh', import.meta.url)`)
 * with its arguments in a fresh sandbox, as sandboxed() does.
 */
export function sandboxedScript(file: URL | string, args: string[] = [], opts: SandboxRunOptions = {}): Run {
  return inSandbox(['bash', file instanceof URL ? fileURLToPath(file) : file, ...args], opts);
}

/** Runs a program (argv, no shell) in a fresh sandbox, as sandboxed() does. */
export function sandboxedProgram(argv: string[], opts: SandboxRunOptions = {}): Run {
  return inSandbox(argv, opts);
}

function inSandbox(argv: string[], opts: SandboxRunOptions): Run {
  const [bin, ...args] = sandboxArgv(argv, { mapUsers: opts.mapUsers });
  const r = spawnSync(bin!, args, {
    encoding: 'utf8',
    input: opts.input,
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, CLI: `node ${CLI}`, ...opts.env },
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs argv as root of a new user namespace only (`unshare -r`): chroot works,
 * but binfmt_misc is still the machine's, so nothing run this way may register.
 */
export function asUsernsRoot(argv: string[]): Run {
  const r = spawnSync('unshare', ['--user', '--map-root-user', ...argv], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the built CLI on the host (for commands that do not touch a kernel). */
export function cli(args: string[], opts: { input?: string; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: opts.input, cwd: opts.cwd ?? ROOT });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

import { spawnSync } from 'node:child_process';
import { BinfmtError } from '../../core/binfmt-error.js';
import { DEFAULT_MOUNT } from '../../kernel/binfmt-misc.js';
import { sandboxArgv, sandboxSupport, shellStatus } from '../../kernel/sandbox.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type { sandbox } from '../syntax/sandbox.js';

/** Signals a shell does not report when they end a command (an interrupt, a closed pipe). */
const QUIET_SIGNALS: readonly string[] = ['SIGINT', 'SIGPIPE'];

export const run: Runner<typeof sandbox> = async (args): Promise<CommandResult> => {
  const [cmd] = args;
  const support = sandboxSupport();
  if (!support.ok) throw new BinfmtError('ENOTSUP', `sandbox: ${support.reason}`);
  const [bin, ...rest] = sandboxArgv(cmd, { announce: true });
  const child = spawnSync(bin!, rest, { stdio: 'inherit' });
  if (child.error) throw new BinfmtError('ENOENT', `sandbox: ${child.error.message}`);
  const code = shellStatus(child.status, child.signal);
  const killed = child.signal !== null && !QUIET_SIGNALS.includes(child.signal);
  const warnings = killed ? [`sandbox: ${cmd[0]} was killed by ${child.signal}`] : [];
  return result({ mount: DEFAULT_MOUNT, command: cmd, exitCode: code, signal: child.signal }, '', code, warnings);
};

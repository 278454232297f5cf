import { spawnSync } from 'node:child_process';
import { BinfmtError } from '../../core/binfmt-error.js';
import { DEFAULT_MOUNT } from '../../kernel/binfmt-misc.js';
import { sandboxArgv, sandboxSupport } from '../../kernel/sandbox.js';
import { result, type CommandResult, type Runner } from '../output.js';

export const run: Runner = async (args): Promise<CommandResult> => {
  const cmd = args[0] as string[];
  const support = sandboxSupport();
  if (!support.ok) throw new BinfmtError('ENOTSUP', `sandbox: ${support.reason}`);
  const [bin, ...rest] = sandboxArgv(cmd, { announce: true });
  const child = spawnSync(bin!, rest, { stdio: 'inherit' });
  if (child.error) throw new BinfmtError('ENOENT', `sandbox: ${child.error.message}`);
  const code = child.status ?? 128 + 1;
  return result({ mount: DEFAULT_MOUNT, command: cmd, exitCode: code }, '', code);
};

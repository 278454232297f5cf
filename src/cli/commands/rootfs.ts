import { isRoot, makeRootfs } from '../../ops/rootfs.js';
import { result, type CommandResult, type Runner } from '../output.js';

export const run: Runner = async (args, opts): Promise<CommandResult> => {
  const [suite, dir] = args as [string, string];
  const r = makeRootfs({
    suite,
    dir,
    mirror: opts.mirror as string | undefined,
    cacheDir: opts.cacheDir as string | undefined,
    dryRun: opts.dryRun === true,
  });
  const what = `a ${suite} root filesystem (debootstrap's first stage, minbase)`;
  const text = opts.dryRun
    ? `would make ${what} in ${dir}${isRoot() ? '' : ' (as root)'}: ${r.argv.join(' ')}`
    : r.made
      ? `made ${what} in ${dir}`
      : `${dir}: already ${what}, made by binfmt rootfs`;
  return result({ ...r, dryRun: opts.dryRun === true }, text);
};

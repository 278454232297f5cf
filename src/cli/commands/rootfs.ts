import { isRoot, makeRootfs } from '../../ops/rootfs.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type { rootfs } from '../syntax/rootfs.js';

export const run: Runner<typeof rootfs> = async (args, opts): Promise<CommandResult> => {
  const [suite, dir] = args;
  const r = makeRootfs({
    suite,
    dir,
    mirror: opts.mirror,
    cacheDir: opts.cacheDir,
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

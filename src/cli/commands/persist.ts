/** `binfmt persist NAME` and `binfmt unpersist NAME`. */
import { BinfmtError } from '../../core/binfmt-error.js';
import { BinfmtMisc } from '../../kernel/binfmt-misc.js';
import { persist as persistEntry, unpersist as unpersistEntry } from '../../config/persistence.js';
import { result, type Runner } from '../output.js';
import type * as syntax from '../syntax/persist.js';

function competing(list: string[]): string[] {
  return list.map((w) => `${w}: also defines this name; at boot the file that sorts later wins`);
}

export const persist: Runner<typeof syntax.persist> = async (args, opts) => {
  const [name] = args;
  const kernel = new BinfmtMisc(opts.mount);
  if (!kernel.has(name))
    throw new BinfmtError(
      'ENOENT',
      `no binfmt_misc entry '${name}' in ${kernel.mount}: register it first, then persist it`,
      'name',
    );
  const out = persistEntry(opts.configRoot, kernel.read(name), opts.dryRun === true);
  const verb = out.unchanged ? 'already persisted in' : opts.dryRun ? 'would write' : 'wrote';
  return result(
    { name, ...out, dryRun: opts.dryRun === true },
    `${verb} ${out.path}:\n${out.content}`,
    0,
    competing(out.alsoDefinedIn),
  );
};

export const unpersist: Runner<typeof syntax.unpersist> = async (args, opts) => {
  const [name] = args;
  const out = unpersistEntry(opts.configRoot, name, opts.dryRun === true);
  const warnings = out.alsoDefinedIn.map(
    (w) =>
      `${w}: still defines '${name}', so it is still registered at boot (mask that file with a symlink to /dev/null in /etc/binfmt.d)`,
  );
  return result(
    { name, ...out, dryRun: opts.dryRun === true },
    `${opts.dryRun ? 'would remove' : 'removed'} ${out.path}`,
    0,
    warnings,
  );
};

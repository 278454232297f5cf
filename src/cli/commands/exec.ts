import { loaderFile } from '../../exec/loader-file.js';
import { execThroughLoader, planExec, type ExecRequest } from '../../exec/run-through-loader.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type { exec } from '../syntax/exec.js';

export const run: Runner<typeof exec> = async (args, opts): Promise<CommandResult> => {
  const [[program, ...rest]] = args;
  const req: ExecRequest = {
    program: program!,
    args: rest,
    ld: opts.ld ?? null,
    libraryPath: opts.libraryPath ?? null,
    argv0: opts.argv0 ?? null,
    root: opts.root ?? null,
    loader: loaderFile(opts.loader),
  };
  if (opts.dryRun) {
    const plan = planExec(req);
    const text = [
      `loader: ${plan.loader} (exec'd from its fd)`,
      `ld.so:  ${plan.ld} (opened here, passed as fd ${plan.argv[2]})`,
      ...(plan.root ? [`chroot: ${plan.root}`] : []),
      `argv:   ${plan.argv.map((a) => JSON.stringify(a)).join(' ')}`,
    ].join('\n');
    return result({ ...plan, dryRun: true }, text);
  }
  return execThroughLoader(req);
};

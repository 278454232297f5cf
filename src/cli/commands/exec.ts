import { loaderFile } from '../../exec/loader-file.js';
import { execThroughLoader, planExec, type ExecRequest } from '../../exec/run-through-loader.js';
import { result, type CommandResult, type Runner } from '../output.js';

export const run: Runner = async (args, opts): Promise<CommandResult> => {
  const [program, ...rest] = args[0] as string[];
  const str = (k: string): string | null => (typeof opts[k] === 'string' ? (opts[k] as string) : null);
  const req: ExecRequest = {
    program: program!,
    args: rest,
    ld: str('ld'),
    libraryPath: str('libraryPath'),
    argv0: str('argv0'),
    root: str('root'),
    loader: loaderFile(str('loader') ?? undefined),
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

/**
 * `binfmt loader path|stamp|show`: wiring and rendering only; the work is in
 * src/loader/.
 */
import { locateLoader } from '../../loader/locate.js';
import { readLoaderConfig } from '../../loader/inspect.js';
import { stampLoader } from '../../loader/stamp.js';
import type { LoaderConfig } from '../../loader/config-area.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type * as syntax from '../syntax/loader.js';

export const runPath: Runner<typeof syntax.path> = async (): Promise<CommandResult> => {
  const path = locateLoader();
  return result({ path }, path);
};

function describe(c: LoaderConfig): string {
  const lines = [`policy: ${c.policy}`];
  if (c.policy === 'fixed') lines.push(`ld.so: ${c.ldPath}`);
  if (c.policy === 'embedded')
    lines.push(
      `ld.so: embedded copy of ${c.ldPath} (${c.embedded?.size ?? 0} bytes at file offset ${c.embedded?.offset ?? 0})`,
    );
  if (c.policy === 'from-program')
    lines.push(`ld.so: the program's PT_INTERP${c.root ? `, resolved inside ${c.root} unless that is /` : ''}`);
  lines.push(`library path: ${c.libraryPath || (c.root ? "the resolved ld.so's directory" : '(ld.so default)')}`);
  lines.push(`--argv0: ${c.argv0 ? 'passed' : 'not passed'}`, `--inhibit-cache: ${c.inhibitCache ? 'yes' : 'no'}`);
  lines.push(
    `entry flags: ${c.entryP ? 'P (argv[0] kept on every kernel)' : 'no P stamped (AT_FLAGS decides, Linux 5.12 and later)'}`,
  );
  return lines.join('\n');
}

export const runStamp: Runner<typeof syntax.stamp> = async (_args, opts): Promise<CommandResult> => {
  const r = stampLoader({
    out: opts.out,
    ld: opts.ld,
    embedLd: opts.embedLd,
    ldFromProgram: opts.ldFromProgram === true,
    root: opts.root,
    libraryPath: opts.libraryPath,
    inhibitCache: opts.inhibitCache === true,
    argv0: opts.argv0 ? undefined : false,
    entryFlags: opts.entryFlags,
    dryRun: opts.dryRun === true,
  });
  const verb = r.written ? 'wrote' : 'would write';
  return result(r, `${verb} ${r.out} (${r.size} bytes)\n${describe(r.config)}`, 0, r.warnings);
};

export const runShow: Runner<typeof syntax.showCopy> = async (args): Promise<CommandResult> => {
  const [file] = args;
  const config = readLoaderConfig(file);
  return result({ file, config }, `${file}\n${describe(config)}`);
};

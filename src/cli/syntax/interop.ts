import { Option } from '@commander-js/extra-typings';
import { atomicOption, command, dryRunOption, forceOption, mountOption, stateDirOption } from './options.js';

export const importEntries = () =>
  command(
    'import',
    'read entries from update-binfmts format files, binfmt.d files or the live kernel; write binfmt.d files (--out) or register them',
  )
    .argument('[path]')
    .addOption(mountOption())
    .addOption(dryRunOption())
    .addOption(
      new Option('--from <source>', 'where the entries come from')
        .choices(['binfmt-support', 'systemd', 'proc'] as const)
        .default('binfmt-support' as const),
    )
    .option('--out <dir>', 'write one binfmt.d file per entry into DIR instead of registering')
    .addOption(stateDirOption())
    .addOption(forceOption())
    .addOption(atomicOption());

export const exportEntries = () =>
  command('export', 'write the live entries as binfmt.d lines, update-binfmts format files or JSON')
    .addOption(mountOption())
    .addOption(dryRunOption())
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['systemd', 'binfmt-support', 'json'] as const)
        .default('systemd' as const),
    )
    .option('--out <dir>', 'write one file per entry into DIR instead of standard output');

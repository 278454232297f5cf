import { command, dryRunOption, mountOption, pidOption, stateDirOption } from './options.js';

export const remove = () =>
  command('remove', 'remove entries (writes -1 to each), or with --owned every entry binfmt registered')
    .argument('[names...]')
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(dryRunOption())
    .option('--owned', 'remove every entry binfmt registered in this instance (its ownership record), nothing else')
    .addOption(stateDirOption());

export const enable = () =>
  command('enable', 'enable entries (writes 1 to each); their match position is kept')
    .argument('<names...>')
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(dryRunOption());

export const disable = () =>
  command('disable', 'disable entries (writes 0 to each); their match position is kept')
    .argument('<names...>')
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(dryRunOption());

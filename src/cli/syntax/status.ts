import { command, dryRunOption, mountOption, pidOption } from './options.js';

export const status = () =>
  command('status', 'show, or turn on or off, all of binfmt_misc in this instance')
    .argument('[state]')
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(dryRunOption());

import { command, mountOption, pidOption } from './options.js';

export const list = () =>
  command('list', "list the entries of a binfmt_misc instance in the kernel's match order (newest first)")
    .addOption(mountOption())
    .addOption(pidOption());

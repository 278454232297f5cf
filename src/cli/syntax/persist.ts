import { command, dryRunOption, mountOption, writtenConfigRootOption } from './options.js';

export const persist = () =>
  command('persist', 'write the live entry NAME to /etc/binfmt.d/NAME.conf (atomically), so it is registered at boot')
    .argument('<name>')
    .addOption(mountOption())
    .addOption(dryRunOption())
    .addOption(writtenConfigRootOption());

export const unpersist = () =>
  command('unpersist', 'remove /etc/binfmt.d/NAME.conf written by persist (the live entry stays)')
    .argument('<name>')
    .addOption(dryRunOption())
    .addOption(writtenConfigRootOption());

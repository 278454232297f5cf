import { command, dryRunOption } from './options.js';

export const rootfs = () =>
  command('rootfs', "make a minimal Debian root filesystem in DIR with debootstrap (as root; apt's own mirror)")
    .argument('<suite>')
    .argument('<dir>')
    .addOption(dryRunOption())
    .option('--mirror <uri>', 'the Debian mirror (default: the one /etc/apt/sources.list* uses)')
    .option('--cache-dir <dir>', 'keep downloaded packages here (default ~/.cache/binfmt/debootstrap)');

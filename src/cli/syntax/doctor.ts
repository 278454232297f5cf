import { command, configRootOption, mountOption, pidOption, stateDirOption } from './options.js';

export const doctor = () =>
  command('doctor', "check the mount, the kernel's features and every entry; say what is broken and how to fix it")
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(configRootOption())
    .addOption(stateDirOption())
    .option('--no-probe', 'skip probing kernel features in a throw-away sandbox');

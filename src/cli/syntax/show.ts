import { command, mountOption, pidOption } from './options.js';

export const show = () =>
  command('show', 'show one entry, field by field, with its canonical register string')
    .argument('<name>')
    .addOption(mountOption())
    .addOption(pidOption());

import { DEFAULT_LOADER_DIR } from '../../ops/install-loader.js';
import { directories, command, dryRunOption, forceOption, mountOption, pidOption, stateDirOption } from './options.js';

export const register = () =>
  command('register', 'register an entry: a named definition, a raw --line, or options')
    .argument('[name]')
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(dryRunOption())
    .option('--line <string>', 'a raw register string (:name:type:offset:magic:mask:interpreter:flags)')
    .option('--name <name>', 'entry name')
    .option('--magic <bytes>', 'magic bytes, \\xHH escapes allowed')
    .option('--mask <bytes>', 'mask bytes, \\xHH escapes allowed')
    .option('--offset <n>', 'offset of the magic in the file')
    .option('--extension <ext>', 'match by file name extension instead of magic')
    .option('--interpreter <path>', 'the program that runs matched files')
    .option('--flags <POCF>', 'flags: P preserve argv[0], O open binary, C credentials, F fix binary', '')
    .option(
      '--config-dir <dir>',
      'look NAME up in this binfmt.d directory instead (repeatable)',
      directories('--config-dir'),
    )
    .option(
      '--loader-dir <dir>',
      'for definitions run by the chainloader (@loader): where to install the stamped copy',
      DEFAULT_LOADER_DIR,
    )
    .option('--strict', 'refuse an entry that draws a warning (e.g. a missing interpreter)')
    .addOption(stateDirOption())
    .addOption(forceOption());

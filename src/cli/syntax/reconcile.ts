import {
  atomicOption,
  command,
  configRootOption,
  dryRunOption,
  forceOption,
  mountOption,
  pidOption,
  pruneOption,
  stateDirOption,
} from './options.js';

export const plan = () =>
  command('plan', 'show what apply would do: add, remove, change (field by field), unchanged')
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(configRootOption())
    .addOption(stateDirOption())
    .addOption(pruneOption())
    .addOption(forceOption());

export const apply = () =>
  command(
    'apply',
    'make the kernel match binfmt.d: only entries binfmt owns, changes make-before-break; ' +
      'entries the kernel refuses are reported and skipped',
  )
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(dryRunOption())
    .addOption(configRootOption())
    .addOption(stateDirOption())
    .addOption(pruneOption())
    .addOption(forceOption())
    .addOption(atomicOption());

export const reorder = () =>
  command('reorder', 'make NAME match before OTHER by registering it again, make-before-break')
    .argument('<name>')
    .addOption(mountOption())
    .addOption(dryRunOption())
    .requiredOption('--before <other>', 'the entry NAME must come before')
    .addOption(stateDirOption())
    .addOption(forceOption());

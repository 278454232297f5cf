import { command } from './options.js';

export const sandbox = () =>
  command('sandbox', 'run CMD in a new user+mount namespace with a private binfmt_misc at the usual path')
    .argument('<cmd...>')
    .allowUnknownOption(true)
    .passThroughOptions(true);

import { command, mountOption } from './options.js';

export const which = () =>
  command('which', 'the entry the kernel would run for FILE, and the argv its interpreter receives')
    .argument('<file>')
    .argument('[args...]')
    .addOption(mountOption())
    .option('--exec-path <path>', 'the path string given to execve (default: FILE as given)')
    .option('--argv0 <name>', 'argv[0] given to execve (default: the exec path)');

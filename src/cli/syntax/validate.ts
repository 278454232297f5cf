import { collect, command } from './options.js';

export const validate = () =>
  command('validate', "check register strings offline: the kernel's verdict and errno, and the safety guards")
    .argument('[lines...]')
    .option('--stdin', 'read register strings from standard input, one per line (bytes, as given)')
    .option('-z, --null', 'with --stdin: strings are separated by NUL bytes, so a final newline is part of the string')
    .option(
      '--kernel <version>',
      "judge by this kernel's rules (upstream version such as 6.1.176, or a Debian ABI name); default: the running kernel",
    )
    .option('--file <file>', 'read the rules of a binfmt.d file (repeatable)', collect)
    .option('--mount <dir>', 'also check names against the entries of this binfmt_misc instance (EEXIST)');

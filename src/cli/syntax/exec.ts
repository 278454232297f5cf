import { command, dryRunOption } from './options.js';

export const exec = () =>
  command(
    'exec',
    'run PROGRAM through the chainloader with a chosen ld.so, optionally chrooted into a jail that holds neither',
  )
    .argument('<program...>')
    .allowUnknownOption(true)
    .passThroughOptions(true)
    .addOption(dryRunOption())
    .option('--ld <path>', "the dynamic linker to use (default: the program's PT_INTERP, outside any --root)")
    .option('--library-path <dirs>', 'colon-separated library directories, passed to ld.so')
    .option('--argv0 <name>', 'argv[0] the program sees')
    .option('--root <dir>', 'chroot into DIR first; ld.so and the loader are opened outside it')
    .option('--loader <path>', 'the chainloader to use (default: the built build/Release/binfmt-loader)');

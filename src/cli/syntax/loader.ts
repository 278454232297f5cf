import { Command } from '@commander-js/extra-typings';
import { command, dryRunOption } from './options.js';

const PAGE = 'binfmt-loader-cli';

export const loader = () => new Command('loader').description('the chainloader: where it is, configured copies of it');

export const path = () => command('path', 'print the absolute path of the built loader', PAGE);

export const stamp = () =>
  command('stamp', 'write a configured copy of the loader (one copy per registration)', PAGE)
    .addOption(dryRunOption())
    .requiredOption('--out <file>', 'where to write the copy')
    .option('--ld <path>', 'run ld.so from this absolute path')
    .option('--embed-ld <path>', 'carry this ld.so inside the copy')
    .option('--ld-from-program', "use each program's own PT_INTERP")
    .option('--root <dir>', 'with --ld-from-program: resolve PT_INTERP inside DIR unless DIR is /')
    .option('--library-path <dirs>', 'pass --library-path DIRS to ld.so')
    .option('--inhibit-cache', 'pass --inhibit-cache to ld.so')
    .option('--no-argv0', 'never pass --argv0 (for an ld.so older than glibc 2.33)')
    .option(
      '--entry-flags <flags>',
      'flags (POCF) of the entry the copy serves: with P, argv[0] is kept before Linux 5.12 too',
    );

export const showCopy = () => command('show', "print a loader copy's baked configuration", PAGE).argument('<file>');

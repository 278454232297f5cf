import { DEFAULT_MARKER_TAG } from '../../elf/marker.js';
import { command, dryRunOption } from './options.js';

export const inspect = () =>
  command(
    'inspect',
    'show what an ELF file needs: class, machine, interpreter, libraries, symbol versions, marker',
  ).argument('<file>');

export const check = () =>
  command('check', 'tell whether FILE would run against the runtime inside DIR, and what it misses if not')
    .argument('<file>')
    .option('--root <dir>', 'the root directory whose runtime to check against', '/')
    .option(
      '--ld <path>',
      'run with this ld.so (a path inside DIR) instead of PT_INTERP, as the loader or `ld.so PROGRAM` does',
    )
    .option(
      '--library-path <dirs>',
      'ld.so --library-path (colon-separated, inside DIR): searched after RPATH, before RUNPATH',
    );

export const mark = () =>
  command(
    'mark',
    'stamp a 4-byte marker into e_flags of an x86-64 ELF file, for the host-runtime (or slulb-magic) entry',
  )
    .argument('<file>')
    .addOption(dryRunOption())
    .option(
      '--tag <tag>',
      'the 4-character marker (the host-runtime marker; SLUL for slulb-magic)',
      DEFAULT_MARKER_TAG,
    );

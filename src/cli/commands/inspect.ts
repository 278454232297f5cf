import { readElf } from '../../elf/elf-file.js';
import { withRegular } from '../../sys/bounded-read.js';
import { FileBytes } from '../../sys/file-bytes.js';
import { result, type CommandResult, type Runner } from '../output.js';
import type { inspect } from '../syntax/elf-file.js';
import { aboutFile } from '../about-file.js';

export const run: Runner<typeof inspect> = async (args): Promise<CommandResult> => {
  const [file] = args;
  // Read where the headers point, never the whole file (it may be gigabytes).
  const info = withRegular(file, 'FILE', (f) => aboutFile(file, () => readElf(new FileBytes(f))));
  const list = (xs: string[]): string => (xs.length ? xs.join(', ') : '-');
  const lines = [
    `${file}: ELF${info.class} ${info.endian}-endian ${info.machineName} ${info.pie ? 'pie' : info.type}`,
    `  interp:   ${info.interp ?? '-'}`,
    `  needed:   ${list(info.needed)}`,
  ];
  if (info.soname) lines.push(`  soname:   ${info.soname}`);
  if (info.runpath) lines.push(`  runpath:  ${info.runpath}`);
  if (info.rpath) lines.push(`  rpath:    ${info.rpath}`);
  for (const [lib, vs] of Object.entries(info.versionsNeeded))
    lines.push(`  versions needed from ${lib}: ${vs.join(' ')}`);
  if (info.versionsDefined.length) lines.push(`  versions defined: ${info.versionsDefined.join(' ')}`);
  lines.push(
    `  e_flags:  0x${info.flags.toString(16).padStart(8, '0')}${info.marker ? ` (marker ${info.marker})` : ''}`,
  );
  return result({ file, ...info }, lines.join('\n'));
};

import { Command } from '@commander-js/extra-typings';
import { EMULATOR_DIRS } from '../../ops/emulator-file.js';
import { DEFAULT_LOADER_DIR } from '../../ops/install-loader.js';
import { collect, command, dryRunOption } from './options.js';

const PAGE = 'binfmt-oci-hook';
const emulatorDirHelp = (what: string) => `${what} (repeatable; default ${EMULATOR_DIRS.join(', ')})`;

export const ociHook = () =>
  new Command('oci-hook').description(
    "an OCI hook for podman that registers host-runtime in each matching container's own binfmt_misc",
  );

export const install = () =>
  command('install', 'install the host-runtime loader and write the hooks.d files', PAGE)
    .addOption(dryRunOption())
    .requiredOption('--hooks-dir <dir>', 'the hooks.d directory to write to')
    .option('--loader-dir <dir>', 'where the stamped loader goes', DEFAULT_LOADER_DIR)
    .option('--emulator-dir <dir>', emulatorDirHelp('where the emulation hook finds qemu-ARCH-static'), collect)
    .option('--log <file>', 'the hook appends one line per decision here');

export const uninstall = () =>
  command('uninstall', "remove binfmt's hooks.d files", PAGE)
    .addOption(dryRunOption())
    .requiredOption('--hooks-dir <dir>', 'the hooks.d directory');

export const run = () =>
  command('run', 'the hook itself: read the container state on stdin, register host-runtime in its binfmt_misc', PAGE)
    .addOption(dryRunOption())
    .option('--loader-dir <dir>', 'where the loader was installed', DEFAULT_LOADER_DIR)
    .option('--log <file>', 'append the decision line here');

export const emulate = () =>
  command(
    'emulate',
    'the emulation hook itself: read the container state on stdin, register qemu for a foreign entry point in its binfmt_misc',
    PAGE,
  )
    .addOption(dryRunOption())
    .option('--emulator-dir <dir>', emulatorDirHelp('where qemu-ARCH-static is'), collect)
    .option('--log <file>', 'append the decision line here');

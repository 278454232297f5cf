import { EMULATOR_DIRS } from '../../ops/emulator-file.js';
import {
  command,
  configRootOption,
  directories,
  dryRunOption,
  forceOption,
  mountOption,
  pidOption,
  stateDirOption,
} from './options.js';

export const emulate = () =>
  command(
    'emulate',
    'register qemu-user emulators for other CPU architectures (never the ones the CPU runs itself); --remove, --status',
  )
    .argument('[arches...]')
    .addOption(mountOption())
    .addOption(pidOption())
    .addOption(dryRunOption())
    .option('--podman', "register in the caller's rootless podman user namespace (through podman's pause process)")
    .option(
      '--emulator-dir <dir>',
      `look for qemu-ARCH-static and qemu-ARCH here instead of ${EMULATOR_DIRS.join(', ')} (repeatable)`,
      directories('--emulator-dir', true),
    )
    .option(
      '--credentials',
      'flag C: setuid foreign programs work, but then any user can run qemu with raised credentials (see binfmt-emulate(1))',
    )
    .option('--persist', 'also write /etc/binfmt.d/qemu-ARCH.conf so the machine registers it at boot')
    .option('--remove', "remove the emulator entries binfmt registered (never another tool's)")
    .option('--status', 'per architecture: native, emulated (proven by running a probe) or unavailable')
    .addOption(configRootOption())
    .addOption(stateDirOption())
    .addOption(forceOption());

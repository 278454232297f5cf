/**
 * A host-runtime entry in the machine's initial user namespace is host-wide:
 * every marked program on the host then runs through the loader, and its
 * /proc/self/exe (Node's process.execPath, Go's os.Executable(), Rust's
 * current_exe()) names the loader instead of the program. Toolbx takes
 * TOOLBOX_PATH from os.Executable() and bind-mounts that file into every new
 * container as /usr/bin/toolbox, so the containers would get the loader.
 * `register` warns and `doctor` reports it; the documented way registers
 * per container (oci-hook, --pid).
 */
import { finding, type Finding } from './doctor-findings.js';
import type { Entry } from './entry.js';
import { binfmt, option, plainText, type Fix } from './fix.js';
import type { ProblemCode } from './problem-codes.js';

export const HOST_WIDE_CODE: ProblemCode = 'host-runtime-host-wide';

/**
 * The marker the host-runtime entry matches: the last 4 bytes of its magic
 * ("HRT1", e_flags of x86-64 ELF64 at offset 48; binfmt mark's default tag).
 */
const HOST_RUNTIME_MARKER = [0x48, 0x52, 0x54, 0x31];

/** Whether the entry is host-runtime: by name, or by the marker its magic ends with. */
export function isHostRuntimeEntry(e: Entry): boolean {
  if (e.name === 'host-runtime') return true;
  if (e.type !== 'magic' || e.magic.length < HOST_RUNTIME_MARKER.length) return false;
  const tail = e.magic.subarray(e.magic.length - HOST_RUNTIME_MARKER.length);
  return HOST_RUNTIME_MARKER.every((b, i) => tail[i] === b);
}

export function hostWideMessage(name: string): string {
  return (
    `'${name}' is registered in the machine's initial user namespace: every marked program on this host now runs ` +
    'through the loader and sees the loader as /proc/self/exe (Toolbx would bind-mount the loader into new ' +
    `containers as /usr/bin/toolbox); register it per container instead (${plainText([binfmt('oci-hook', 'install'), ', or ', option('pid')])})`
  );
}

export const hostWideFix = (name: string): Fix => [
  binfmt('remove', name),
  ', then ',
  binfmt('oci-hook', 'install'),
  ' (see man binfmt-oci-hook)',
];

/** doctor: a warning for each host-runtime entry of the initial user namespace's instance. */
export function hostWideFindings(entries: readonly Entry[], initialUserns: boolean): Finding[] {
  if (!initialUserns) return [];
  return entries
    .filter(isHostRuntimeEntry)
    .map((e) => finding('warning', HOST_WIDE_CODE, e.name, hostWideMessage(e.name), hostWideFix(e.name)));
}

/**
 * e_machine numbers this project names (<elf.h> EM_*). Others print as "EM_<n>".
 */
export const EM_386 = 3;
export const EM_X86_64 = 62;

const NAMES: Record<number, string> = {
  2: 'sparc',
  3: 'i386',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390',
  40: 'arm',
  43: 'sparc64',
  62: 'x86-64',
  183: 'aarch64',
  243: 'riscv',
  258: 'loongarch',
};

export function machineName(machine: number): string {
  return NAMES[machine] ?? `EM_${machine}`;
}

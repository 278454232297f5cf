/**
 * Is this file an ld.so the loader can map (x86_64 ET_DYN without PT_INTERP),
 * and does it take --argv0 (glibc >= 2.33, musl >= 1.1.22)? Pure: bytes in,
 * facts out.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { parseElf64 } from './elf64.js';
import { EM_X86_64 } from './machine.js';
import { PT_INTERP } from './program-headers.js';

export interface LdsoFacts {
  /** The ld.so understands --argv0 when run as a command. */
  argv0: boolean;
  family: 'glibc' | 'musl' | 'unknown';
}

/** Whether the bytes hold `s` (one byte per character, as latin1). */
function contains(b: Uint8Array, s: string): boolean {
  const first = s.charCodeAt(0);
  for (let i = b.indexOf(first); i >= 0 && i + s.length <= b.length; i = b.indexOf(first, i + 1)) {
    let j = 1;
    while (j < s.length && b[i + j] === s.charCodeAt(j)) j++;
    if (j === s.length) return true;
  }
  return false;
}

export function checkLdso(b: Uint8Array, what: string): LdsoFacts {
  const { header: h, phdrs } = parseElf64(b, what);
  if (h.machine !== EM_X86_64)
    throw new BinfmtError('ENOEXEC', `${what}: not an x86_64 ELF file (e_machine ${h.machine})`, what);
  if (h.type !== 'dyn') throw new BinfmtError('ENOEXEC', `${what}: not an ld.so (ELF type ${h.type}, want dyn)`, what);
  if (phdrs.some((p) => p.type === PT_INTERP))
    throw new BinfmtError('ENOEXEC', `${what}: not an ld.so (it has a PT_INTERP)`, what);
  const family = contains(b, 'GLIBC_PRIVATE') ? 'glibc' : contains(b, 'musl libc') ? 'musl' : 'unknown';
  // glibc's usage text says "--argv0"; musl compares the bare word "argv0".
  const argv0 = contains(b, '--argv0') || (family === 'musl' && contains(b, '\0argv0\0'));
  return { argv0, family };
}

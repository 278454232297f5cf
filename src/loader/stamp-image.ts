/**
 * Builds the bytes of a configured loader copy: the built loader with its
 * configuration area filled in and, for an embedded ld.so, that ld.so
 * appended on pages of its own and mapped by the kernel through the loader's
 * PT_NOTE, which becomes a read-only PT_LOAD. Pure: bytes in, bytes out.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { PF_R, PT_NOTE, pageUp, parseElf64, writePhdr } from '../elf/elf64.js';
import { PT_LOAD } from '../elf/program-headers.js';
import { relayoutForEmbedding } from '../elf/relayout.js';
import { findConfigArea, formatConfigArea, parseConfigArea, type LoaderConfig } from './config-area.js';

/** x86_64 pages; the loader checks p_vaddr ≡ p_offset modulo AT_PAGESZ. */
export const EMBED_PAGE = 4096;

export function stampedImage(
  loader: Uint8Array,
  config: LoaderConfig,
  ldso: Uint8Array | null,
  ldWhat = 'ld.so',
): Uint8Array {
  const at = findConfigArea(loader, 'loader');
  const current = parseConfigArea(loader.subarray(at), 'loader');
  if (current.policy !== 'unset')
    throw new BinfmtError(
      'EINVAL',
      'loader: already a configured copy; stamp the built loader (binfmt loader path)',
      'loader',
    );
  if (!ldso) {
    const out = Uint8Array.from(loader);
    out.set(formatConfigArea({ ...config, embedded: null }), at);
    return out;
  }
  const { header: h, phdrs: ph } = parseElf64(loader, 'loader');
  const note = ph.findIndex((p) => p.type === PT_NOTE);
  if (note < 0)
    throw new BinfmtError('ENOEXEC', 'loader: no PT_NOTE to turn into the embedded ld.so segment', 'loader');
  const blob = relayoutForEmbedding(ldso, EMBED_PAGE, ldWhat);
  const offset = pageUp(loader.length, EMBED_PAGE);
  const vaddr = pageUp(Math.max(...ph.filter((p) => p.type === PT_LOAD).map((p) => p.vaddr + p.memsz)), EMBED_PAGE);
  const out = new Uint8Array(offset + blob.length);
  out.set(loader, 0);
  out.set(blob, offset);
  out.set(formatConfigArea({ ...config, embedded: { vaddr, size: blob.length, offset } }), at);
  writePhdr(out, h, note, {
    type: PT_LOAD,
    flags: PF_R,
    offset,
    vaddr,
    filesz: blob.length,
    memsz: blob.length,
    align: EMBED_PAGE,
  });
  return out;
}

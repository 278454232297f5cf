/**
 * Builds the bytes of a configured loader copy: the built loader with its
 * configuration header filled in and its strings appended (the one PT_LOAD
 * grows over them) and, for an embedded ld.so, that ld.so
 * appended on pages of its own and mapped by the kernel through the loader's
 * PT_NOTE, which becomes a read-only PT_LOAD. Pure: bytes in, bytes out.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { binfmt } from '../core/fix.js';
import { PF_R, PT_NOTE, pageUp, parseElf64, writePhdr } from '../elf/elf64.js';
import { PT_LOAD } from '../elf/program-headers.js';
import { relayoutForEmbedding } from '../elf/relayout.js';
import {
  CONFIG_HEADER_SIZE,
  CONFIG_VERSION,
  findConfigArea,
  formatConfigArea,
  parseConfigArea,
  type LoaderConfig,
} from './config-area.js';

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
    throw new BinfmtError('EINVAL', 'loader: already a configured copy; stamp the built loader', 'loader', [
      binfmt('loader', 'path'),
    ]);
  if (current.version !== CONFIG_VERSION)
    throw new BinfmtError(
      'EINVAL',
      `loader: configuration version ${current.version}: stamp the loader built with this tool`,
      'loader',
      [binfmt('loader', 'path')],
    );
  const { header: h, phdrs: ph } = parseElf64(loader, 'loader');
  // The header ends the file and the one PT_LOAD that maps it (loader.ld):
  // the strings go right after it, mapped by growing that segment.
  const load = ph.findIndex((p) => p.type === PT_LOAD && p.offset + p.filesz === at + CONFIG_HEADER_SIZE);
  const seg = ph[load];
  if (!seg || seg.filesz !== seg.memsz || loader.length !== at + CONFIG_HEADER_SIZE)
    throw new BinfmtError('ENOEXEC', 'loader: the configuration header does not end its image', 'loader');
  const area = formatConfigArea({ ...config, embedded: null });
  const grow = area.length - CONFIG_HEADER_SIZE;
  const grown = { ...seg, filesz: seg.filesz + grow, memsz: seg.memsz + grow };
  if (!ldso) {
    const out = new Uint8Array(at + area.length);
    out.set(loader, 0);
    out.set(area, at);
    writePhdr(out, h, load, grown);
    return out;
  }
  const note = ph.findIndex((p) => p.type === PT_NOTE);
  if (note < 0)
    throw new BinfmtError('ENOEXEC', 'loader: no PT_NOTE to turn into the embedded ld.so segment', 'loader');
  const blob = relayoutForEmbedding(ldso, EMBED_PAGE, ldWhat);
  const offset = pageUp(at + area.length, EMBED_PAGE);
  const loads = ph.map((p, i) => (i === load ? grown : p)).filter((p) => p.type === PT_LOAD);
  const vaddr = pageUp(Math.max(...loads.map((p) => p.vaddr + p.memsz)), EMBED_PAGE);
  const out = new Uint8Array(offset + blob.length);
  out.set(loader, 0);
  out.set(blob, offset);
  out.set(formatConfigArea({ ...config, embedded: { vaddr, size: blob.length, offset } }), at);
  writePhdr(out, h, load, grown);
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

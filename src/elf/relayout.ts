/**
 * Re-lays out an ld.so for embedding in a loader copy: every PT_LOAD gets
 * pages of its own (file offset congruent to its address modulo the page
 * size), so that the loader can move each segment's pages into place with
 * mremap instead of copying them. musl's ld.so, for one, shares a file page
 * between its last two segments. Pure: bytes in, bytes out.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { clearSectionHeaders, pageUp, parseElf64, writePhdr } from './elf64.js';
import { PHDR_SIZE_64, PT_LOAD, type ProgramHeader } from './program-headers.js';

function containing(loads: ProgramHeader[], off: number, len: number): number {
  return loads.findIndex((l) => off >= l.offset && off + len <= l.offset + l.filesz);
}

export function relayoutForEmbedding(src: Uint8Array, page: number, what: string): Uint8Array {
  const { header: h, phdrs: ph } = parseElf64(src, what);
  const loads = ph.filter((p) => p.type === PT_LOAD);
  const phdrSeg = containing(loads, h.phoff, h.phnum * PHDR_SIZE_64);
  if (phdrSeg < 0) throw new BinfmtError('ENOEXEC', `${what}: its program headers are not in a loaded segment`, what);
  const newOff: number[] = [];
  let cursor = 0;
  for (const l of loads) {
    if (l.offset + l.filesz > src.length)
      throw new BinfmtError('ENOEXEC', `${what}: truncated (segment at offset ${l.offset} ends past the file)`, what);
    const off = pageUp(cursor, page) + (l.vaddr % page);
    newOff.push(off);
    cursor = pageUp(off + l.filesz, page);
  }
  const out = new Uint8Array(cursor);
  loads.forEach((l, i) => out.set(src.subarray(l.offset, l.offset + l.filesz), newOff[i]!));
  // Every header that points into a loaded segment follows it.
  const moved = (off: number, len: number): number => {
    const i = containing(loads, off, len);
    return i < 0 ? off : newOff[i]! + (off - loads[i]!.offset);
  };
  const nh = { ...h, phoff: moved(h.phoff, h.phnum * PHDR_SIZE_64) };
  if (nh.phoff !== h.phoff) {
    throw new BinfmtError('ENOEXEC', `${what}: its program headers would move (first segment not at offset 0)`, what);
  }
  ph.forEach((p, i) =>
    writePhdr(
      out,
      nh,
      i,
      p.type === PT_LOAD ? { ...p, offset: newOff[loads.indexOf(p)]! } : { ...p, offset: moved(p.offset, p.filesz) },
    ),
  );
  clearSectionHeaders(out);
  return out;
}

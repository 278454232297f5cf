/**
 * Where PT_INTERP's string lies in an ELF file, from its first bytes (pure).
 * null: not ELF, no PT_INTERP (static), or the program headers lie past what
 * was given. Just enough for the safety guards; the full ELF reader is separate.
 */
const PT_INTERP = 3;

export interface Range {
  offset: number;
  size: number;
}

export function ptInterpRange(head: Uint8Array): Range | null {
  if (head.length < 52 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return null;
  const is64 = head[4] === 2;
  const le = head[5] === 1;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, le);
  const u32 = (o: number): number => dv.getUint32(o, le);
  const word = (o: number): number => (is64 ? Number(dv.getBigUint64(o, le)) : u32(o));
  if (is64 && head.length < 64) return null;
  const phoff = word(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + phentsize > head.length) return null;
    if (u32(ph) === PT_INTERP) return { offset: word(ph + (is64 ? 8 : 4)), size: word(ph + (is64 ? 32 : 16)) };
  }
  return null;
}

/** The NUL-terminated string in `bytes`. */
export function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

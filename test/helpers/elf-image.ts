/**
 * ELF images assembled byte by byte for table tests: either byte order, either
 * class, with exactly the program headers, dynamic tags, strings and version
 * records a test names, so that one field can be broken at a time and the
 * reader's answer checked against the value written. Layouts follow <elf.h>
 * (Elf32_Ehdr/Elf64_Ehdr, Elf*_Phdr, Elf*_Dyn, Elf*_Verneed/Vernaux/Verdef/Verdaux).
 */

export interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz?: number;
  flags?: number;
  align?: number;
}

export interface ImageSpec {
  class?: 32 | 64;
  little?: boolean;
  /** e_type: 2 ET_EXEC, 3 ET_DYN. */
  type?: number;
  machine?: number;
  size: number;
  phoff?: number;
  segments: Segment[];
}

/** A writable ELF image; every writer takes the byte order and class of the image. */
export class ElfImage {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly is64: boolean;
  readonly little: boolean;

  constructor(spec: ImageSpec) {
    this.is64 = (spec.class ?? 64) === 64;
    this.little = spec.little ?? true;
    this.bytes = new Uint8Array(spec.size);
    this.view = new DataView(this.bytes.buffer);
    const w = this.is64 ? 8 : 4;
    const phoff = spec.phoff ?? (this.is64 ? 64 : 52);
    this.bytes.set([0x7f, 0x45, 0x4c, 0x46, this.is64 ? 2 : 1, this.little ? 1 : 2, 1], 0);
    this.u16(16, spec.type ?? 3);
    this.u16(18, spec.machine ?? (this.is64 ? 62 : 3));
    this.u32(20, 1);
    this.word(24 + w, phoff);
    const flags = this.is64 ? 48 : 36;
    this.u16(flags + 4, this.is64 ? 64 : 52); // e_ehsize
    this.u16(flags + 6, this.is64 ? 56 : 32); // e_phentsize
    this.u16(flags + 8, spec.segments.length); // e_phnum
    spec.segments.forEach((s, i) => this.phdr(phoff, i, s));
  }

  /** Writes program header `i` of the table at `phoff`. */
  phdr(phoff: number, i: number, s: Segment): void {
    const p = { memsz: s.filesz, flags: 4, align: 1, ...s };
    if (this.is64) {
      const o = phoff + i * 56;
      this.u32(o, p.type);
      this.u32(o + 4, p.flags);
      this.word(o + 8, p.offset);
      this.word(o + 16, p.vaddr);
      this.word(o + 24, p.vaddr);
      this.word(o + 32, p.filesz);
      this.word(o + 40, p.memsz);
      this.word(o + 48, p.align);
    } else {
      const o = phoff + i * 32;
      this.u32(o, p.type);
      this.u32(o + 4, p.offset);
      this.u32(o + 8, p.vaddr);
      this.u32(o + 12, p.vaddr);
      this.u32(o + 16, p.filesz);
      this.u32(o + 20, p.memsz);
      this.u32(o + 24, p.flags);
      this.u32(o + 28, p.align);
    }
  }

  u16(o: number, x: number): void {
    this.view.setUint16(o, x, this.little);
  }
  u32(o: number, x: number): void {
    this.view.setUint32(o, x, this.little);
  }
  /** An address/offset/size word: 8 bytes in ELF64, 4 in ELF32. */
  word(o: number, x: number | bigint): void {
    if (this.is64) this.view.setBigUint64(o, BigInt(x), this.little);
    else this.view.setUint32(o, Number(x), this.little);
  }
  /** Elf*_Dyn entries from `o` on: [d_tag, d_val] pairs, written as given (add [0, 0] for DT_NULL). */
  dynamic(o: number, tags: Array<[number, number | bigint]>): void {
    const w = this.is64 ? 8 : 4;
    tags.forEach(([t, v], i) => {
      if (this.is64) this.view.setBigInt64(o + i * 2 * w, BigInt(t), this.little);
      else this.view.setInt32(o + i * 2 * w, t, this.little);
      this.word(o + i * 2 * w + w, v);
    });
  }
  /** NUL-separated strings from `o` on; returns each one's offset relative to `o`. */
  strings(o: number, list: string[]): number[] {
    const at: number[] = [];
    let p = o;
    for (const s of list) {
      at.push(p - o);
      const b = new TextEncoder().encode(s);
      this.bytes.set(b, p);
      this.bytes[p + b.length] = 0;
      p += b.length + 1;
    }
    return at;
  }
  /** Elf*_Verneed at `o` (16 bytes). */
  verneed(o: number, v: { version?: number; cnt: number; file: number; aux: number; next: number }): void {
    this.u16(o, v.version ?? 1);
    this.u16(o + 2, v.cnt);
    this.u32(o + 4, v.file);
    this.u32(o + 8, v.aux);
    this.u32(o + 12, v.next);
  }
  /** Elf*_Vernaux at `o` (16 bytes). */
  vernaux(o: number, v: { flags?: number; other?: number; name: number; next: number }): void {
    this.u32(o, 0); // vna_hash: not read
    this.u16(o + 4, v.flags ?? 0);
    this.u16(o + 6, v.other ?? 0);
    this.u32(o + 8, v.name);
    this.u32(o + 12, v.next);
  }
  /** Elf*_Verdef at `o` (20 bytes). */
  verdef(o: number, v: { version?: number; flags?: number; cnt: number; aux: number; next: number }): void {
    this.u16(o, v.version ?? 1);
    this.u16(o + 2, v.flags ?? 0);
    this.u16(o + 4, 1); // vd_ndx
    this.u16(o + 6, v.cnt);
    this.u32(o + 8, 0); // vd_hash: not read
    this.u32(o + 12, v.aux);
    this.u32(o + 16, v.next);
  }
  /** Elf*_Verdaux at `o` (8 bytes). */
  verdaux(o: number, v: { name: number; next: number }): void {
    this.u32(o, v.name);
    this.u32(o + 4, v.next);
  }
}

/**
 * The written parts of a large sparse ET_DYN x86-64 file of `size` bytes:
 * the header with one PT_LOAD over the whole file and a PT_DYNAMIC at `far`,
 * whose DT_SONAME is `soname` (DT_STRSZ runs to the end of the file).
 * Everything else reads as zeros.
 */
export function farDynamicElf(size: number, far: number, soname: string): Array<[number, Uint8Array]> {
  const head = new ElfImage({
    type: 3,
    size: 4096,
    segments: [
      { type: 1, offset: 0, vaddr: 0, filesz: size },
      { type: 2, offset: far + 0x40, vaddr: far + 0x40, filesz: 48 },
    ],
  });
  const tail = new ElfImage({ size: 0x100 + soname.length + 2, segments: [] });
  const [, name] = tail.strings(0x100, ['', soname]);
  tail.dynamic(0x40, [
    [5, far + 0x100], // DT_STRTAB
    [10, size - far - 0x100], // DT_STRSZ
    [14, name!], // DT_SONAME
    [0, 0],
  ]);
  return [
    [0, head.bytes],
    [far, tail.bytes],
  ];
}

/**
 * The 4-byte marker in e_flags that lets a binfmt_misc magic entry pick out
 * chosen x86-64 ELF files (e_flags, not EI_PAD: binutils' strip zeroes the
 * padding and glibc's ld.so run directly rejects non-zero padding):
 * on x86-64 neither the kernel nor glibc's ld.so reads e_flags, and strip,
 * objcopy, eu-strip and patchelf keep it. On arm, riscv, ppc64, loongarch and
 * mips e_flags carries the ABI, so marking is x86-64 only.
 */
import { BinfmtError } from '../core/binfmt-error.js';
import { option } from '../core/fix.js';
import type { ByteSource } from '../core/byte-source.js';
import {
  EI_CLASS,
  EI_DATA,
  ELFCLASS64,
  ELFDATA2LSB,
  ELF_MAGIC,
  E_FLAGS_OFFSET_64,
  parseElfHeader,
  type ElfHeader,
} from './header.js';
import { EM_X86_64 } from './machine.js';

export const MARKER_LENGTH = 4;
/** The host-runtime marker; the trailing digit versions the convention. */
export const DEFAULT_MARKER_TAG = 'HRT1';
/** e_machine lives at offset 18 in both classes. */
const E_MACHINE_OFFSET = 18;

const printable = (b: number): boolean => b >= 0x21 && b <= 0x7e;

/** Checks a tag: exactly 4 printable ASCII characters (no spaces). */
function markerBytes(tag: string): Uint8Array {
  const b = new TextEncoder().encode(tag);
  if (b.length !== MARKER_LENGTH || !b.every(printable)) {
    throw new BinfmtError(
      'EINVAL',
      `marker tag ${JSON.stringify(tag)} must be exactly ${MARKER_LENGTH} printable ASCII characters`,
      option('tag'),
    );
  }
  return b;
}

/** The marker a file carries: e_flags of an ELF64 LSB x86-64 file read as 4 printable characters. */
export function readMarker(h: ElfHeader): string | null {
  if (h.class !== 64 || h.endian !== 'little' || h.machine !== EM_X86_64 || h.flags === 0) return null;
  // e_flags as stored (little-endian): its bytes in file order.
  const b = Uint8Array.from([0, 8, 16, 24], (shift) => (h.flags >>> shift) & 0xff);
  return b.every(printable) ? new TextDecoder().decode(b) : null;
}

export interface MarkPlan {
  /** File offset to write at. */
  offset: number;
  /** The bytes to write there. */
  bytes: Uint8Array;
  /** The file already carries exactly this marker: nothing to write. */
  already: boolean;
  /** e_flags before, for the report. */
  previousFlags: number;
}

/**
 * Plans the stamp (pure: the caller writes). Refuses anything that is not an
 * ELF64 little-endian x86-64 file, and any file whose e_flags is already in
 * use for something other than this very marker.
 */
export function planMark(bytes: Uint8Array | ByteSource, tag: string, file = 'file'): MarkPlan {
  const want = markerBytes(tag);
  const { header: h } = parseElfHeader(bytes);
  if (h.class !== 64 || h.endian !== 'little' || h.machine !== EM_X86_64) {
    throw new BinfmtError(
      'EINVAL',
      `${file}: only ELF64 little-endian x86-64 files can be marked (this is ELF${h.class} ${h.endian}-endian ${h.machineName}); e_flags carries the ABI elsewhere`,
      'e_machine',
    );
  }
  const current = readMarker(h);
  if (current === tag) return { offset: h.flagsOffset, bytes: want, already: true, previousFlags: h.flags };
  if (h.flags !== 0) {
    throw new BinfmtError(
      'EEXIST',
      `${file}: e_flags is already 0x${h.flags.toString(16).padStart(8, '0')}${current ? ` (marker ${JSON.stringify(current)})` : ''}; refusing to overwrite it`,
      'e_flags',
    );
  }
  return { offset: h.flagsOffset, bytes: want, already: false, previousFlags: 0 };
}

/** The 52-byte magic and mask (from offset 0) matching marked files: ELF64, LSB, x86-64, e_flags = tag. */
export function markerPattern(tag: string): { offset: number; magic: Uint8Array; mask: Uint8Array } {
  const t = markerBytes(tag);
  const len = E_FLAGS_OFFSET_64 + MARKER_LENGTH;
  const magic = new Uint8Array(len);
  const mask = new Uint8Array(len);
  const pin = (off: number, vals: ArrayLike<number>): void => {
    for (let i = 0; i < vals.length; i++) {
      magic[off + i] = vals[i]!;
      mask[off + i] = 0xff;
    }
  };
  pin(0, ELF_MAGIC);
  pin(EI_CLASS, [ELFCLASS64]);
  pin(EI_DATA, [ELFDATA2LSB]);
  pin(E_MACHINE_OFFSET, [EM_X86_64 & 0xff, EM_X86_64 >> 8]);
  pin(E_FLAGS_OFFSET_64, t);
  return { offset: 0, magic, mask };
}

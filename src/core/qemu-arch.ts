/**
 * The CPU architectures qemu-user emulates through binfmt_misc, with the
 * magic and mask that recognise their ELF executables.
 *
 * The bytes are Debian's (qemu-user-static 1:7.2, /usr/lib/binfmt.d/qemu-*.conf),
 * row for row; x86_64 and i386 are not shipped by Debian on amd64, so theirs come
 * from qemu's own scripts/qemu-binfmt-conf.sh. The masks leave out what varies
 * between programs of one architecture: EI_OSABI (byte 7, and on some the low
 * bits of EI_ABIVERSION), ET_EXEC versus ET_DYN (the low bit of e_type), and for
 * mips the ABI2 bit of e_flags, which tells o32 from n32.
 */
import { fromHex } from './entry.js';
import { execWindow } from './match.js';

export interface QemuArch {
  /** qemu's and Debian's name: qemu-<qemu>-static, binfmt.d/qemu-<qemu>.conf. */
  qemu: string;
  /** Every name accepted on the command line: qemu's, Debian's, OCI's (with and without "linux/"). */
  names: readonly string[];
  /** The OCI platform string (tonistiigi/binfmt's "supported" list). */
  platform: string;
  magic: Uint8Array;
  mask: Uint8Array;
  /** e_machine, as the magic spells it. */
  elfMachine: number;
  /** EI_CLASS: 32 or 64-bit ELF. */
  elfClass: 32 | 64;
  /** EI_DATA: big-endian. */
  bigEndian: boolean;
  /** The Debian package shipping qemu-<qemu>-static (bookworm; qemu-user from trixie on). */
  debianPackage: string;
  /** The Fedora package shipping qemu-<qemu>-static. */
  fedoraPackage: string;
}

/** Debian ships every emulator in one package (bookworm); from trixie on, qemu-user is static and qemu-user-static is transitional. */
export const DEBIAN_PACKAGE = 'qemu-user-static';

/** Byte offsets in e_ident and the ELF header (<elf.h>). */
const EI_CLASS = 4;
const EI_DATA = 5;
const ELFCLASS64 = 2;
const ELFDATA2MSB = 2;
const E_MACHINE = 18;

interface Row {
  qemu: string;
  aliases: readonly string[];
  platform?: string;
  magic: string;
  mask: string;
  fedora: string;
}

/** The usual mask of a little-endian (le) or big-endian (be) 20-byte magic: EI_OSABI ignored, ET_EXEC or ET_DYN. */
const MASK_LE = 'ffffffffffffff00fffffffffffffffffeffffff';
const MASK_BE = 'ffffffffffffff00fffffffffffffffffffeffff';
/** The same, also ignoring EI_ABIVERSION's low two bits. */
const MASK_LE_ABI = 'fffffffffffffffcfffffffffffffffffeffffff';
const MASK_BE_ABI = 'fffffffffffffffcfffffffffffffffffffeffff';
/** mips: EI_ABIVERSION's low bit ignored. */
const MASK_MIPS_LE = 'ffffffffffffff00fefffffffffffffffeffffff';
const MASK_MIPS_BE = 'ffffffffffffff00fefffffffffffffffffeffff';
/** mips 32-bit: then e_flags' EF_MIPS_ABI2 bit (0x20) must be clear (o32) or set (n32). */
const MIPS_FLAGS_LE = '0000000000000000000000000000000020';
const MIPS_FLAGS_BE = '0000000000000000000000000000000000000020';

/** The 16 bytes of e_ident for a class (01/02) and a byte order (01 LE, 02 BE). */
const ident = (cls: string, data: string): string => `7f454c46${cls}${data}01000000000000000000`;
const le32 = (machine: string): string => `${ident('01', '01')}0200${machine}`;
const be32 = (machine: string): string => `${ident('01', '02')}0002${machine}`;
const le64 = (machine: string): string => `${ident('02', '01')}0200${machine}`;
const be64 = (machine: string): string => `${ident('02', '02')}0002${machine}`;

const ROWS: readonly Row[] = [
  {
    qemu: 'x86_64',
    aliases: ['amd64', 'x86-64'],
    platform: 'linux/amd64',
    magic: le64('3e00'),
    mask: 'ffffffffff' + 'fefe00' + 'fffffffffffffffffeffffff',
    fedora: 'x86',
  },
  {
    qemu: 'i386',
    aliases: ['386', 'i486', 'i586', 'i686'],
    platform: 'linux/386',
    magic: le32('0300'),
    mask: 'ffffffffff' + 'fefe00' + 'fffffffffffffffffeffffff',
    fedora: 'x86',
  },
  {
    qemu: 'aarch64',
    aliases: ['arm64', 'arm64/v8'],
    platform: 'linux/arm64',
    magic: le64('b700'),
    mask: MASK_LE,
    fedora: 'aarch64',
  },
  {
    qemu: 'arm',
    aliases: ['armhf', 'armel', 'arm/v7', 'arm/v6', 'arm/v5', 'armv7l', 'armv7', 'armv6'],
    platform: 'linux/arm/v7',
    magic: le32('2800'),
    mask: MASK_LE,
    fedora: 'arm',
  },
  { qemu: 'armeb', aliases: [], magic: be32('0028'), mask: MASK_BE, fedora: 'arm' },
  { qemu: 'riscv64', aliases: [], platform: 'linux/riscv64', magic: le64('f300'), mask: MASK_LE, fedora: 'riscv' },
  { qemu: 'riscv32', aliases: [], magic: le32('f300'), mask: MASK_LE, fedora: 'riscv' },
  {
    qemu: 'ppc64le',
    aliases: ['ppc64el', 'powerpc64le'],
    platform: 'linux/ppc64le',
    magic: le64('1500'),
    mask: 'fffffffffffffffcfffffffffffffffffeffff00',
    fedora: 'ppc',
  },
  {
    qemu: 'ppc64',
    aliases: ['powerpc64'],
    platform: 'linux/ppc64',
    magic: be64('0015'),
    mask: MASK_BE_ABI,
    fedora: 'ppc',
  },
  { qemu: 'ppc', aliases: ['powerpc'], magic: be32('0014'), mask: MASK_BE_ABI, fedora: 'ppc' },
  { qemu: 's390x', aliases: [], platform: 'linux/s390x', magic: be64('0016'), mask: MASK_BE_ABI, fedora: 's390x' },
  {
    qemu: 'mips64el',
    aliases: ['mips64le'],
    platform: 'linux/mips64le',
    magic: le64('0800'),
    mask: MASK_MIPS_LE,
    fedora: 'mips',
  },
  { qemu: 'mips64', aliases: [], platform: 'linux/mips64', magic: be64('0008'), mask: MASK_MIPS_BE, fedora: 'mips' },
  {
    qemu: 'mipsel',
    aliases: ['mipsle'],
    platform: 'linux/mipsle',
    magic: le32('0800') + '00'.repeat(17),
    mask: MASK_MIPS_LE + MIPS_FLAGS_LE,
    fedora: 'mips',
  },
  {
    qemu: 'mips',
    aliases: [],
    platform: 'linux/mips',
    magic: be32('0008') + '00'.repeat(20),
    mask: MASK_MIPS_BE + MIPS_FLAGS_BE,
    fedora: 'mips',
  },
  {
    qemu: 'mipsn32el',
    aliases: [],
    magic: le32('0800') + '00'.repeat(16) + '20',
    mask: MASK_MIPS_LE + MIPS_FLAGS_LE,
    fedora: 'mips',
  },
  {
    qemu: 'mipsn32',
    aliases: [],
    magic: be32('0008') + '00'.repeat(19) + '20',
    mask: MASK_MIPS_BE + MIPS_FLAGS_BE,
    fedora: 'mips',
  },
  {
    qemu: 'loongarch64',
    aliases: ['loong64'],
    platform: 'linux/loong64',
    magic: le64('0201'),
    mask: 'fffffffffffffffc00fffffffffffffffeffffff',
    fedora: 'loongarch64',
  },
  { qemu: 'alpha', aliases: [], magic: le64('2690'), mask: MASK_LE, fedora: 'alpha' },
  { qemu: 'cris', aliases: [], magic: le32('4c00'), mask: MASK_LE, fedora: 'cris' },
  { qemu: 'hexagon', aliases: [], magic: le32('a400'), mask: MASK_LE, fedora: 'hexagon' },
  { qemu: 'hppa', aliases: ['parisc'], magic: be32('000f'), mask: MASK_BE, fedora: 'hppa' },
  { qemu: 'm68k', aliases: [], magic: be32('0004'), mask: MASK_BE, fedora: 'm68k' },
  { qemu: 'microblaze', aliases: [], magic: be32('baab'), mask: MASK_BE, fedora: 'microblaze' },
  { qemu: 'sh4', aliases: [], magic: le32('2a00'), mask: MASK_LE_ABI, fedora: 'sh4' },
  { qemu: 'sh4eb', aliases: [], magic: be32('002a'), mask: MASK_BE_ABI, fedora: 'sh4' },
  { qemu: 'sparc', aliases: [], magic: be32('0002'), mask: MASK_BE_ABI, fedora: 'sparc' },
  { qemu: 'sparc32plus', aliases: [], magic: be32('0012'), mask: MASK_BE_ABI, fedora: 'sparc' },
  { qemu: 'sparc64', aliases: [], platform: 'linux/sparc64', magic: be64('002b'), mask: MASK_BE_ABI, fedora: 'sparc' },
  { qemu: 'xtensa', aliases: [], magic: le32('5e00'), mask: MASK_LE, fedora: 'xtensa' },
  { qemu: 'xtensaeb', aliases: [], magic: be32('005e'), mask: MASK_BE, fedora: 'xtensa' },
];

function toArch(r: Row): QemuArch {
  const platform = r.platform ?? `linux/${r.qemu}`;
  const bare = [r.qemu, ...r.aliases, platform.slice('linux/'.length)];
  const names = [...new Set([...bare, ...bare.map((n) => `linux/${n}`)])];
  const magic = fromHex(r.magic);
  const bigEndian = magic[EI_DATA] === ELFDATA2MSB;
  const lo = magic[E_MACHINE + (bigEndian ? 1 : 0)]!;
  const hi = magic[E_MACHINE + (bigEndian ? 0 : 1)]!;
  return {
    qemu: r.qemu,
    names,
    platform,
    magic,
    mask: fromHex(r.mask),
    elfMachine: (hi << 8) | lo,
    elfClass: magic[EI_CLASS] === ELFCLASS64 ? 64 : 32,
    bigEndian,
    debianPackage: DEBIAN_PACKAGE,
    fedoraPackage: `qemu-user-static-${r.fedora}`,
  };
}

export const QEMU_ARCHES: readonly QemuArch[] = ROWS.map(toArch);

/** An architecture by any of its names (case-insensitive; "qemu-aarch64" is accepted too). */
export function findArch(name: string): QemuArch | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/^qemu-/, '');
  return QEMU_ARCHES.find((a) => a.names.includes(n));
}

/** The row whose magic and mask match a file's first bytes, compared as the kernel does (zero-filled past the end). */
export function archOfHead(head: Uint8Array): QemuArch | undefined {
  const window = execWindow(head);
  return QEMU_ARCHES.find((a) => a.magic.every((m, j) => ((window[j]! ^ m) & a.mask[j]!) === 0));
}

/** The binfmt_misc entry name Debian, Fedora and tonistiigi/binfmt give the emulator: qemu-<qemu>. */
export function emulatorEntryName(a: QemuArch): string {
  return `qemu-${a.qemu}`;
}

/** The names to list when a name is unknown: qemu's, then the OCI ones that differ. */
export function knownArchNames(): string[] {
  const oci = QEMU_ARCHES.map((a) => a.platform.slice('linux/'.length)).filter((p) => !findArchByQemu(p));
  return [...QEMU_ARCHES.map((a) => a.qemu), ...oci];
}

function findArchByQemu(qemu: string): QemuArch | undefined {
  return QEMU_ARCHES.find((a) => a.qemu === qemu);
}

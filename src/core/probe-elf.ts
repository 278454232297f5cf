/**
 * The smallest static executable of each architecture: an ELF header, one
 * PT_LOAD that maps the whole file, and the instructions of exit(0). Running
 * it answers "does this CPU (or this emulator) run that architecture?" by
 * doing it, as tonistiigi/binfmt's per-architecture test binaries do; here the
 * bytes are code, so nothing is shipped or downloaded.
 *
 * Each program sets the exit status argument to 0 and the syscall number of
 * exit on that architecture's Linux ABI, then traps. The machine code is
 * written in file order (already in the architecture's byte order).
 */
import type { QemuArch } from './qemu-arch.js';

interface ProbeCode {
  /** e_flags: the ABI qemu and the kernel expect (ARM EABI5, ppc64 ELFv2, mips n32, LoongArch LP64D). */
  flags: number;
  /** The instructions, as hex in file order. */
  code: string;
}

/** Where the single segment is mapped: above mmap_min_addr (65536) everywhere, 64 KiB-aligned for 64 KiB-page kernels. */
const BASE = 0x400000;
const SEGMENT_ALIGN = 0x10000;
const PT_LOAD = 1;
const PF_R_X = 5;
const ET_EXEC = 2;
const EV_CURRENT = 1;

const CODE: Record<string, ProbeCode> = {
  // mov eax, 60 (exit); xor edi, edi; syscall
  x86_64: { flags: 0, code: 'b83c000000' + '31ff' + '0f05' },
  // mov eax, 1 (exit); xor ebx, ebx; int 0x80
  i386: { flags: 0, code: 'b801000000' + '31db' + 'cd80' },
  // mov x0, #0; mov x8, #93 (exit); svc #0
  aarch64: { flags: 0, code: '000080d2' + 'a80b80d2' + '010000d4' },
  // mov r0, #0; mov r7, #1 (exit); svc #0 (EABI5)
  arm: { flags: 0x05000000, code: '0000a0e3' + '0170a0e3' + '000000ef' },
  armeb: { flags: 0x05000000, code: 'e3a00000' + 'e3a07001' + 'ef000000' },
  // li a0, 0; li a7, 93 (exit); ecall
  riscv64: { flags: 0, code: '13050000' + '9308d005' + '73000000' },
  riscv32: { flags: 0, code: '13050000' + '9308d005' + '73000000' },
  // li r0, 1 (exit); li r3, 0; sc (ELFv2: the entry is code, not a function descriptor)
  ppc64le: { flags: 2, code: '01000038' + '00006038' + '02000044' },
  ppc64: { flags: 2, code: '38000001' + '38600000' + '44000002' },
  ppc: { flags: 0, code: '38000001' + '38600000' + '44000002' },
  // lghi %r2, 0; svc 1 (exit)
  s390x: { flags: 0, code: 'a7290000' + '0a01' },
  // li $a0, 0; li $v0, 5058 (n64 exit); syscall
  mips64el: { flags: 0, code: '00000424' + 'c2130224' + '0c000000' },
  mips64: { flags: 0, code: '24040000' + '240213c2' + '0000000c' },
  // li $a0, 0; li $v0, 4001 (o32 exit); syscall
  mipsel: { flags: 0, code: '00000424' + 'a10f0224' + '0c000000' },
  mips: { flags: 0, code: '24040000' + '24020fa1' + '0000000c' },
  // li $a0, 0; li $v0, 6058 (n32 exit); syscall; e_flags EF_MIPS_ABI2
  mipsn32el: { flags: 0x20, code: '00000424' + 'aa170224' + '0c000000' },
  mipsn32: { flags: 0x20, code: '24040000' + '240217aa' + '0000000c' },
  // addi.w $a0, $zero, 0; addi.w $a7, $zero, 93 (exit); syscall 0; LP64D, object ABI v1
  loongarch64: { flags: 0x43, code: '04008002' + '0b748102' + '00002b00' },
  // lda $0, 1($31) (exit); lda $16, 0($31); callsys
  alpha: { flags: 0, code: '01001f20' + '00001f22' + '83000000' },
  // moveq 1, $r9 (exit); moveq 0, $r10; break 13
  cris: { flags: 0, code: '4192' + '40a2' + '3de9' },
  // { r0 = #0 }; { r6 = #93 } (exit); { trap0(#1) }; e_flags: the v67 core
  hexagon: { flags: 0x67, code: '00c00078' + 'a6cb0078' + '04c00054' },
  // ldi 0, %r26; ldi 1, %r20 (exit); be,l 0x100(%sr2, %r0); nop (delay slot)
  hppa: { flags: 0, code: '341a0000' + '34140002' + 'e4008200' + '08000240' },
  // moveq #1, %d0 (exit); moveq #0, %d1; trap #0
  m68k: { flags: 0, code: '7001' + '7200' + '4e40' },
  // addik r12, r0, 1 (exit); addik r5, r0, 0; brki r14, 8
  microblaze: { flags: 0, code: '31800001' + '30a00000' + 'b9cc0008' },
  // mov #1, r3 (exit); mov #0, r4; trapa #0x11
  sh4: { flags: 0, code: '01e3' + '00e4' + '11c3' },
  sh4eb: { flags: 0, code: 'e301' + 'e400' + 'c311' },
  // mov 1, %g1 (exit); mov 0, %o0; ta 0x10
  sparc: { flags: 0, code: '82102001' + '90102000' + '91d02010' },
  sparc32plus: { flags: 0, code: '82102001' + '90102000' + '91d02010' },
  // mov 1, %g1 (exit); mov 0, %o0; ta 0x6d (the 64-bit trap)
  sparc64: { flags: 0, code: '82102001' + '90102000' + '91d0206d' },
  // movi a2, 118 (exit); movi a6, 0; syscall (big-endian cores mirror the fields)
  xtensa: { flags: 0, code: '22a076' + '62a000' + '005000' },
  xtensaeb: { flags: 0, code: '220a76' + '260a00' + '000500' },
};

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A writer of fixed-width fields in one byte order. */
class Fields {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    private readonly le: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16(at: number, v: number): void {
    this.view.setUint16(at, v, this.le);
  }
  u32(at: number, v: number): void {
    this.view.setUint32(at, v, this.le);
  }
  u64(at: number, v: number): void {
    this.view.setBigUint64(at, BigInt(v), this.le);
  }
  /** A word of the class's size: 4 bytes for ELF32, 8 for ELF64. */
  word(at: number, v: number, is64: boolean): void {
    if (is64) this.u64(at, v);
    else this.u32(at, v);
  }
}

/** The ELF header and program header sizes (<elf.h> Elf32_Ehdr/Elf64_Ehdr, Elf32_Phdr/Elf64_Phdr). */
const EHDR = { 32: 52, 64: 64 } as const;
const PHDR = { 32: 32, 64: 56 } as const;
const CODE_ALIGN = 16;

/** The exit(0) program of an architecture. Throws for an architecture without probe code (a table row added without one). */
export function probeElf(a: QemuArch): Uint8Array {
  const probe = CODE[a.qemu];
  if (!probe) throw new Error(`no probe program for ${a.qemu}`);
  const is64 = a.elfClass === 64;
  const codeAt = Math.ceil((EHDR[a.elfClass] + PHDR[a.elfClass]) / CODE_ALIGN) * CODE_ALIGN;
  const code = hexBytes(probe.code);
  const bytes = new Uint8Array(codeAt + code.length);
  const f = new Fields(bytes, !a.bigEndian);
  // e_ident: the table's own first 16 bytes (magic, class, data, version; OSABI 0).
  bytes.set(a.magic.subarray(0, 16));
  bytes[7] = 0;
  bytes[8] = 0;
  f.u16(16, ET_EXEC);
  f.u16(18, a.elfMachine);
  f.u32(20, EV_CURRENT);
  const w = is64 ? 8 : 4;
  f.word(24, BASE + codeAt, is64); // e_entry
  f.word(24 + w, EHDR[a.elfClass], is64); // e_phoff
  f.word(24 + 2 * w, 0, is64); // e_shoff
  const rest = 24 + 3 * w;
  f.u32(rest, probe.flags);
  f.u16(rest + 4, EHDR[a.elfClass]); // e_ehsize
  f.u16(rest + 6, PHDR[a.elfClass]); // e_phentsize
  f.u16(rest + 8, 1); // e_phnum
  // e_shentsize, e_shnum, e_shstrndx stay 0: no section headers.
  const ph = EHDR[a.elfClass];
  if (is64) {
    f.u32(ph, PT_LOAD);
    f.u32(ph + 4, PF_R_X);
    f.u64(ph + 8, 0); // p_offset
    f.u64(ph + 16, BASE); // p_vaddr
    f.u64(ph + 24, BASE); // p_paddr
    f.u64(ph + 32, bytes.length); // p_filesz
    f.u64(ph + 40, bytes.length); // p_memsz
    f.u64(ph + 48, SEGMENT_ALIGN);
  } else {
    f.u32(ph, PT_LOAD);
    f.u32(ph + 4, 0);
    f.u32(ph + 8, BASE);
    f.u32(ph + 12, BASE);
    f.u32(ph + 16, bytes.length);
    f.u32(ph + 20, bytes.length);
    f.u32(ph + 24, PF_R_X);
    f.u32(ph + 28, SEGMENT_ALIGN);
  }
  bytes.set(code, codeAt);
  return bytes;
}

/** Whether the table row has probe code (every row should: the tests check). */
export function hasProbe(a: QemuArch): boolean {
  return a.qemu in CODE;
}

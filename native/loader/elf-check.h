/*
 * ELF validation: bytes in, a verdict and a summary out. Pure: no system
 * calls, no globals, so it compiles unchanged as hosted C for the fuzzer
 * (native/fuzz/).
 *
 * Stage: callable from any stage.
 */
#ifndef BINFMT_LOADER_ELF_CHECK_H
#define BINFMT_LOADER_ELF_CHECK_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Ehdr;

typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Phdr;

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define ET_EXEC 2
#define ET_DYN 3

/* Limits. The kernel refuses more than 64 KiB of program headers
 * (fs/binfmt_elf.c load_elf_phdrs); real programs and ld.so have ~10-20, so
 * the loader keeps a smaller bounded copy. */
#define ELF_MAX_PHNUM 64
/* Interpreter path: the kernel caps PT_INTERP at PATH_MAX (binfmt_elf.c). */
#define ELF_MAX_INTERP 4096

/* The machine the file must run on. The loader fills it from arch/<arch>.h
 * and AT_PAGESZ; the fuzzer picks its own. */
struct elf_target {
	int machine;       /* e_machine */
	uint64_t pagesz;   /* a power of two */
	uint64_t max_addr; /* highest user address (ARCH_MAX_ADDR) */
};

/* Each verdict but ELF_OK and its one-line text, in enum order. The loader's
 * reports (report.h) continue this list, so a verdict is also a report. */
#define ELF_ERR_LIST(X)                                                                                 \
	X(ELF_ETRUNC, "truncated file") /* shorter than its headers or segments */                      \
	X(ELF_EMAGIC, "not an ELF file")                                                                \
	X(ELF_ECLASS, "wrong ELF class (not 64-bit)")                                                   \
	X(ELF_EDATA, "wrong byte order") /* not little-endian */                                        \
	X(ELF_EMACHINE, "wrong machine")                                                                \
	X(ELF_ETYPE, "unsupported ELF type")     /* not ET_EXEC/ET_DYN (or ET_DYN needed) */            \
	X(ELF_EPHENT, "bad program header size") /* e_phentsize is not sizeof(Phdr) */                  \
	X(ELF_EPHNUM, "no program headers, or too many")                                                \
	X(ELF_ESEGMENT, "bad segment size or address")       /* p_filesz > p_memsz, or an overflow */   \
	X(ELF_EALIGN, "misaligned segment")                  /* p_vaddr - p_offset, or p_align */       \
	X(ELF_EOVERLAP, "overlapping or unordered segments") /* PT_LOADs overlap or are out of order */ \
	X(ELF_ENOLOAD, "no loadable segment")                                                           \
	X(ELF_EINTERP, "bad PT_INTERP")                                                                 \
	X(ELF_EENTRY, "entry point outside the executable segments")

#define ELF_ERR_ENUM(name, text) name,
enum elf_err { ELF_OK = 0, ELF_ERR_LIST(ELF_ERR_ENUM) ELF_NERR };

/* What the loader needs to know about a validated file. */
struct elf_info {
	Ehdr eh;
	const Phdr *ph; /* the validated headers, in the caller's buffer (not copied) */
	unsigned phnum;
	uint64_t lo, hi; /* page-aligned span of the PT_LOADs (link-time addresses) */
	/* largest power-of-two p_align, at least the page size (others are ignored, as by the kernel) */
	uint64_t align;
	uint64_t phdr_vaddr; /* link-time address of the program headers in memory, 0 if not loaded */
	int phdr_loaded;     /* e_phoff lies in a PT_LOAD's file bytes: the kernel's AT_PHDR is right */
	int interp;          /* index of the first PT_INTERP in ph[] (the kernel ignores later ones), or -1 */
	int exec_stack;      /* PT_GNU_STACK asks for PF_X */
};

/*
 * Step 1: the ELF header in buf[0..n). file_size bounds the program headers.
 * Fills *eh. The caller then reads eh->e_phnum headers at eh->e_phoff (any
 * offset: the kernel does not require it aligned).
 */
enum elf_err elf_check_header(const unsigned char *buf, size_t n, uint64_t file_size, const struct elf_target *t,
			      Ehdr *eh);

/*
 * Step 2: the program headers (out->eh already filled by step 1), copied to
 * an 8-byte aligned place; out->ph points at them afterwards, so they must
 * stay. file_size bounds every segment. Fills the rest of *out.
 */
enum elf_err elf_check_phdrs(const unsigned char *phbytes, uint64_t file_size, const struct elf_target *t,
			     struct elf_info *out);

/* Both steps on a whole file image in buf[0..n), 8-byte aligned, e_phoff
 * too (the fuzzer's entry). */
enum elf_err elf_check(const unsigned char *buf, size_t n, const struct elf_target *t, struct elf_info *out);

/* One-line text for an elf_err ("not an ELF file", ...), for the fuzzer; the
 * loader reports a verdict by its number (report.h). */
const char *elf_strerror(enum elf_err e);

#endif

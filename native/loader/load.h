/*
 * Load an ELF file the way the kernel's binfmt_elf does: read and validate
 * its headers, reserve the whole span once (honouring p_align), overlay each
 * PT_LOAD, zero the bss tail to the end of its page, map the rest of the bss
 * anonymously, leave holes PROT_NONE. Never a W+X mapping.
 *
 * Stage: after self-relocation; may use system calls, no environment.
 */
#ifndef BINFMT_LOADER_LOAD_H
#define BINFMT_LOADER_LOAD_H

#include "elf-check.h"

/* Where the bytes come from: a file descriptor, or (embedded ld.so) an image
 * the kernel already mapped read-only as part of the loader. */
struct elf_source {
	int fd;                    /* >= 0: a file */
	const unsigned char *mem;  /* fd < 0: page-aligned image, size bytes */
	uint64_t size;
};

struct elf_image {
	uintptr_t bias, entry, phdr;
	unsigned phnum;
};

/* What failed: a short cause and, for a failed system call, its errno. */
struct failure {
	const char *what;
	long err;
};

int elf_read(struct elf_source *src, uint64_t pagesz, struct elf_info *info, struct failure *f);
int elf_map(const struct elf_source *src, const struct elf_info *info, uint64_t pagesz,
	    struct elf_image *img, struct failure *f);
/* Whether a program without PT_INTERP still needs ld.so: its PT_DYNAMIC has a
 * DT_NEEDED (a .slulb, linked -pie --no-dynamic-linker), unlike a static(-pie)
 * program. 1 yes, 0 no, -1 with *f set. */
int elf_needs_libraries(const struct elf_source *src, const struct elf_info *info, struct failure *f);
/* Reads the PT_INTERP string into buf (size >= ELF_MAX_INTERP + 1). */
int elf_read_interp(const struct elf_source *src, const struct elf_info *info, char *buf, struct failure *f);

#endif

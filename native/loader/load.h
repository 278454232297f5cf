/*
 * Load an ELF file the way the kernel's binfmt_elf does: read and validate
 * its headers, reserve the whole span once (honouring p_align), overlay each
 * PT_LOAD, zero the bss tail to the end of its page, map the rest of the bss
 * anonymously, leave holes PROT_NONE. Never a W+X mapping.
 *
 * Stage: used by the stages that open the program and map ld.so; may use
 * system calls, never the environment.
 */
#ifndef BINFMT_LOADER_LOAD_H
#define BINFMT_LOADER_LOAD_H

#include "elf-check.h"
#include "scratch.h"

/* One pread of this much holds the ELF header, the program headers and the
 * PT_INTERP string of ordinary programs (792 + 28 bytes for a typical glibc
 * PIE). Kept small: every stack page the loader touches is a page fault. */
#define ELF_HEAD_SIZE 1024
#define ELF_SIZE_UNKNOWN UINT64_MAX

/* Where the bytes come from: a file descriptor, or (embedded ld.so) an image
 * the kernel already mapped read-only as part of the loader; and how a
 * failure names it: "binfmt-loader: WHO: [KIND NAME: ]cause" (report.h). */
struct elf_source {
	int fd;                   /* >= 0: a file */
	const unsigned char *mem; /* fd < 0: page-aligned image, size bytes */
	uint64_t size;            /* ELF_SIZE_UNKNOWN until known */
	size_t head_len;
	struct scratch *scratch; /* for the rare paths */
	const char *who, *kind, *name;
	/* The file's first bytes, as read once: headers and, usually, PT_INTERP.
	 * Last, so that the other fields stay at short offsets. */
	unsigned char head[ELF_HEAD_SIZE] __attribute__((aligned(8)));
};

struct elf_image {
	uintptr_t bias, entry, phdr;
	unsigned phnum;
};

/*
 * Reads and validates the headers. With sized = 0 the file size is left
 * unknown when the first read fills the head buffer (one fstat saved: enough
 * to read PT_INTERP, not to map); elf_map then finds the size itself, and
 * fails when the program headers are not in memory once mapped (AT_PHDR).
 * These functions do not return on failure: they report it (report.h).
 */
void elf_read(struct elf_source *src, const struct elf_target *t, struct elf_info *info, int sized);
void elf_map(struct elf_source *src, struct elf_info *info, const struct elf_target *t, struct elf_image *img);
/* Dynamic entries are read this many at a time into a stack buffer (256
 * bytes): glibc's ld.so has its DT_VERDEF and DT_VERDEFNUM among the first 16. */
#define ELF_DYN_CHUNK 16
/*
 * The first value of each of tags[0..n) (n <= 16) in PT_DYNAMIC, read with
 * pread from the file (src->fd: the program, or an ld.so opened now; never
 * an embedded one), never through the mapping: the dynamic section lies in
 * a writable RELRO page, so touching it there costs a read fault now and a
 * copy-on-write fault when ld.so relocates it. vals[i] is 0 for a tag not
 * found. Stops at DT_NULL or once every tag is found. Returns the bit mask
 * of the tags found (bit i for tags[i]).
 */
int elf_dynamic_values(const struct elf_source *src, const struct elf_info *info, const uint64_t *tags, uint64_t *vals,
		       unsigned n);
/* Whether a program without PT_INTERP still needs ld.so: its PT_DYNAMIC has a
 * DT_NEEDED (a .slulb, linked -pie --no-dynamic-linker), unlike a static(-pie)
 * program. 1 yes, 0 no. */
int elf_needs_libraries(const struct elf_source *src, const struct elf_info *info);
/* The PT_INTERP string of a file (src->fd): in place when it is in the
 * head, else read into scratch memory. */
const char *elf_read_interp(const struct elf_source *src, const struct elf_info *info);

#endif

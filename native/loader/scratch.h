/*
 * Scratch memory for the rare paths (program headers beyond the first KiB,
 * a PT_INTERP string far into the file, built path strings): one anonymous
 * mapping made on first use. The common path never touches it, so the loader
 * needs no .bss of its own (no extra mapping, no page faults). What is put
 * here stays mapped and untouched after the jump, so ld.so may keep pointers
 * into it (argv strings).
 *
 * Stage: any stage after 1; makes at most one system call.
 */
#ifndef BINFMT_LOADER_SCRATCH_H
#define BINFMT_LOADER_SCRATCH_H

enum scratch_slot {
	SCRATCH_PHDRS_PROGRAM,
	SCRATCH_PHDRS_LDSO,
	SCRATCH_INTERP,
	SCRATCH_LIBRARY_PATH,
	SCRATCH_PROGRAM_PATH,
	SCRATCH_SELFEXEC,
	SCRATCH_SLOTS,
};

/* Each slot holds 64 program headers (3584 bytes) or a PATH_MAX string plus "./". */
#define SCRATCH_SLOT_SIZE 4608

/* Where the area is, once mapped; lives on loader_main's stack (the loader
 * has no writable globals). */
struct scratch {
	unsigned char *area;
};

/* The slot's memory, or 0 if it cannot be mapped. */
void *scratch(struct scratch *s, enum scratch_slot slot);

#endif

/*
 * A process's initial stack, built from fuzz input the way the kernel's
 * create_elf_tables lays it out for a new program: sp (16-byte aligned) ->
 * argc, argv[0..argc), NULL, envp[...], NULL, auxv pairs, AT_NULL pair,
 * then the strings (argv's, envp's, AT_EXECFN's) above it. Below sp lies
 * exactly the room the loader may grow the vector into (VEC_MAX_GROWTH,
 * stack.h), so that ASan reports any write beyond it.
 *
 * Input: four bytes of choices, then the strings, split at NUL bytes
 * (argc of them for argv, the rest for envp):
 *   byte 0  bit 0 AT_SECURE present, bit 1 its value 1; bit 2 AT_EXECFD
 *           (binfmt_misc O); bit 3 AT_FLAGS bit 0 (binfmt_misc P, Linux 5.12);
 *           bits 4-5 AT_EXECFN: absent, argv[1], the last string,
 *           "/proc/self/exe"; bit 6 no AT_PAGESZ; bit 7 AT_PAGESZ from byte 3
 *   byte 1  argc (mod 16)
 *   byte 2  bits 0-2 how many of the kernel's other auxv entries (AT_UID,
 *           AT_PLATFORM, ...), their types and values from the last bytes
 *   byte 3  AT_EXECFD's value, or AT_PAGESZ's log2 (mod 64) with byte 0 bit 7
 */
#ifndef BINFMT_FUZZ_KERNEL_STACK_H
#define BINFMT_FUZZ_KERNEL_STACK_H

#include <stddef.h>
#include <stdint.h>

#define KSTACK_MAX_ARGC 16

struct kernel_stack {
	unsigned char *mem; /* the allocation: [room][vector][strings] */
	size_t size;
	uintptr_t *sp;  /* argc */
	uintptr_t *end; /* one past the AT_NULL pair: the strings start here */
	long argc, envc, auxc;
	int secure; /* AT_SECURE's value */
	const char *execfn;
};

/* Builds the stack from data; 0, or -1 when data is shorter than its
 * choices. Free with kernel_stack_free. */
int kernel_stack_build(struct kernel_stack *k, const uint8_t *data, size_t size);
void kernel_stack_free(struct kernel_stack *k);

#endif

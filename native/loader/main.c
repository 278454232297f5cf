/*
 * binfmt-loader: map ld.so from a file descriptor (or from the loader's own
 * file) and jump to it as if the kernel had executed it, with the program as
 * its argument. Freestanding: no libc, no writable data, no relocations.
 *
 *   0 start (arch/<arch>.h _start): move sp ARCH_FRAME_GAP below the
 *     kernel's vector and call loader_main with the vector's address.
 *   1 read_invocation   memory only: the vector, the config, one variable
 *   2 open_program      open and validate the program
 *   3 map_static_program or map_ldso
 *   4 hand_over         close, rewrite argv/env/auxv in place, return the entry
 *   5 _start enters it with a 16-byte aligned sp.
 *
 * loader.h says what each stage may and may not do. Any failure: one line
 * "binfmt-loader: PROGRAM: cause" on fd 2, exit 127.
 */
#include "loader.h"
#include "sys.h"

ARCH_START();

__attribute__((used, section(".binfmt_config"), aligned(8))) const struct config_area binfmt_config = {
	.magic = CONFIG_MAGIC,
	.version = CONFIG_VERSION,
	.header_size = CONFIG_HEADER_SIZE,
	.area_size = CONFIG_HEADER_SIZE,
};

/* A PT_NOTE naming the loader; `binfmt loader stamp --embed-ld` turns this
 * program header into the PT_LOAD that maps the embedded ld.so. "R" keeps it
 * through --gc-sections. */
__asm__(".section .note.binfmt,\"aR\",@note\n"
	".p2align 2\n"
	".long 7, 4, 0x444c4642\n" /* namesz, descsz, type "BFLD" */
	".asciz \"binfmt\"\n"
	".p2align 2\n"
	".long 1\n"
	".previous\n");

/* The stamped config: read through a barrier so that the compiler cannot
 * fold the unstamped defaults into the code. */
static const struct config_area *config(void)
{
	const struct config_area *c = &binfmt_config;
	__asm__("" : "+r"(c));
	return c;
}

__attribute__((used)) struct entry loader_main(uintptr_t *sp)
{
	/* Zeroed whole: one string store of 2.6 KiB (its pages are the ones the
	 * head buffers fill anyway) costs less code than picking fields. */
	struct loader s = {.cfg = config(), .ls.fd = -1};

	read_invocation(&s, sp);
	if (open_program(&s)) map_ldso(&s);
	else map_static_program(&s);
#ifdef BINFMT_LOADER_BENCH_EXIT_MAPPED /* bench/loader.bench.mjs only: the cost up to here */
	sys_exit_group(0);
#endif
	return hand_over(&s);
}

/*
 * The loader's stages, in the order loader_main (main.c) runs them, and the
 * state they hand on. As in musl's ldso (__dls2, __dls3), each stage is one
 * function named for what it may do; its contract is below. The state lives
 * on loader_main's stack: the loader has no writable globals.
 *
 * Every stage may fail with one line on fd 2 and exit 127 (report.h).
 */
#ifndef BINFMT_LOADER_LOADER_H
#define BINFMT_LOADER_LOADER_H

#include "config.h"
#include "invocation.h"
#include "load.h"
#include "scratch.h"
#include "stack.h"

struct loader {
	struct vec v;                  /* the kernel's vector, edited in place */
	const struct config_area *cfg; /* the baked configuration */
	struct elf_target target;      /* this machine and AT_PAGESZ */
	uintptr_t at_flags;            /* AT_FLAGS as the kernel gave it */
	int secure;                    /* AT_SECURE */
	struct request r;
	struct scratch sc;
	struct elf_info prog, ld;
	struct elf_image img;     /* what is entered: ld.so, or a static program */
	const char *ldname;       /* argv[0] for ld.so */
	struct elf_source ps, ls; /* the program, ld.so (last: 1 KiB each) */
};

struct entry {
	uintptr_t pc, sp;
};

/*
 * Stage 1: what is asked. Reads memory only: the kernel's vector, the baked
 * configuration and, for a direct exec of the loader, the one environment
 * variable of self re-execution (selfexec.h). No system call but to report a
 * failure, except in the rare cases selfexec.h names. Opens nothing.
 */
void read_invocation(struct loader *s, uintptr_t *sp);

/*
 * Stage 2: the program. May open and read it and validate its headers; maps
 * nothing, writes nothing but its own state. Returns 1 when the program needs
 * ld.so, 0 for a static program.
 */
int open_program(struct loader *s);

/* Stage 3a, static programs: may map the program (as the kernel would) and
 * make the stack executable. Opens nothing. */
void map_static_program(struct loader *s);

/*
 * Stage 3b, everything else: may choose, open, read, validate and map ld.so,
 * and make the stack executable. Never touches the vector.
 */
void map_ldso(struct loader *s);

/*
 * Stage 4: hand over. Closes every fd the loader opened, then rewrites argv,
 * the environment and the auxv in place and names the process. It may still
 * read ld.so's headers (the --argv0 check) before it starts rewriting; once it
 * has, it may not fail. Returns where to jump and with which stack pointer.
 */
struct entry hand_over(struct loader *s);

#endif

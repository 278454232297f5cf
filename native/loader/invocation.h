/*
 * What an invocation asks for: from argv in command mode
 * (`binfmt-loader [options] -- PROGRAM ARGS`), or from the kernel's
 * binfmt_misc layout ([loader, path, (argv0 with P), args]).
 *
 * Stage 2: reads argv only; never the environment.
 */
#ifndef BINFMT_LOADER_INVOCATION_H
#define BINFMT_LOADER_INVOCATION_H

#include <stdint.h>
#include "scratch.h"
#include "stack.h"

/* What the invocation asks for, from argv (command mode) or the kernel's
 * binfmt_misc layout plus the baked config. */
struct request {
	const char *path;        /* the program, as given */
	const char *argv0;       /* explicit argv[0] for the program, or 0 */
	long args;               /* index in argv of the first program argument */
	int prog_fd;             /* AT_EXECFD, or -1 */
	int command;             /* command mode */
	struct scratch *scratch;
	const char *ld_path;     /* --ld */
	int ld_fd;               /* --ld-fd, or -1 */
	const char *library_path;
	int inhibit_cache;
	int argv0_ok;            /* the ld.so takes --argv0 */
};

void parse_command(const struct vec *v, struct request *r);
void parse_binfmt(const struct vec *v, uintptr_t at_flags, struct request *r);

#endif

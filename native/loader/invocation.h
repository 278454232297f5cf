/*
 * What an invocation asks for: from argv in command mode
 * (`binfmt-loader [options] -- PROGRAM ARGS`), from the kernel's binfmt_misc
 * layout ([loader, path, (argv0 with P), args]), or, for a program that
 * executes its own /proc/self/exe, from the environment (selfexec.h).
 *
 * Stage 1 (loader.h): reads memory only.
 */
#ifndef BINFMT_LOADER_INVOCATION_H
#define BINFMT_LOADER_INVOCATION_H

#include <stdint.h>
#include "scratch.h"
#include "stack.h"

struct request {
	const char *path;   /* the program, as given */
	const char *argv0;  /* explicit argv[0] for the program, or 0 */
	long args;          /* index in argv of the first program argument */
	int prog_fd;        /* AT_EXECFD, or -1 */
	int command;        /* command mode */
	int reexec;         /* a program re-executing itself (selfexec.h) */
	const char *execfn; /* AT_EXECFN as the kernel gave it, or "" */
	struct scratch *scratch;
	const char *ld_path; /* --ld */
	int ld_fd;           /* --ld-fd, or -1 */
	const char *library_path;
	int inhibit_cache;
	int argv0_ok; /* the ld.so takes --argv0 */
};

void parse_command(const struct vec *v, struct request *r);
/* argv as binfmt_misc lays it out; with preserve (see argv-layout.h) argv[2]
 * is the caller's argv[0]. */
void parse_binfmt(const struct vec *v, int preserve, struct request *r);

#endif

/*
 * libFuzzer harness for stage 1, the invocation parser (read_invocation,
 * native/loader/invocation.c), on a stack laid out as the kernel lays it out
 * (kernel-stack.h): command mode, binfmt_misc with and without O (AT_EXECFD)
 * and P (AT_FLAGS, or a copy stamped P), AT_SECURE, a program executing its
 * own /proc/self/exe (selfexec.h), stamped and unstamped copies. Under
 * binfmt_misc's C flag this code runs with the program's credentials, on
 * argv and envp its caller chose.
 *
 * Whatever the input, read_invocation must return or report (die), read
 * nothing outside the vector and its strings, write nothing in them (stage 1
 * reads memory only), and leave a request the later stages can trust.
 *
 * Input: one byte of configuration (bits 0-1 the policy, 2-4 the flags,
 * bit 5 a library path), then kernel-stack.h's input.
 */
#include <stdlib.h>
#include <string.h>
#include "config-area.h"
#include "hosted.h"
#include "kernel-stack.h"
#include "../loader/argv-layout.h"
#include "../loader/loader.h"
#include "../loader/report.h"

static int in_argv(const struct kernel_stack *k, const char *p)
{
	const char **argv = (const char **)(k->sp + 1);
	for (long i = 0; i < k->argc; i++)
		if (argv[i] == p) return 1;
	return 0;
}

static void check(const struct kernel_stack *k, const struct loader *s)
{
	const struct request *r = &s->r;
	const char **argv = (const char **)(k->sp + 1);
	uintptr_t *execfd = vec_aux(&s->v, AT_EXECFD);
	if (s->v.sp != k->sp || s->v.end != k->end || s->v.argc != k->argc) abort();
	if (!s->target.pagesz || (s->target.pagesz & (s->target.pagesz - 1))) abort();
	if (s->secure != k->secure) abort();
	if (!r->path || !r->execfn || r->args < 1 || r->args > k->argc) abort();
	if (r->prog_fd != (execfd ? (int)execfd[1] : -1)) abort();
	if (s->secure && (r->command || r->reexec)) abort();
	if (r->command) {
		if (s->cfg->policy != POLICY_UNSET || execfd) abort();
		if (r->path != argv[r->args - 1]) abort();
	} else if (r->reexec) {
		const char *env = vec_getenv(&s->v, "BINFMT_LOADER_EXE\0");
		if (!env || r->path != env || r->path[0] != '/' || r->args != 1 || r->argv0 != argv[0]) abort();
	} else {
		int p = binfmt_preserves_argv0(s->at_flags, s->cfg->flags);
		if (r->path != argv[1] || r->args != 2 + p) abort();
		if (p && r->argv0 != argv[2]) abort();
		if (r->library_path && r->library_path != config_string(s->cfg, CONFIG_LIBRARY_PATH)) abort();
	}
	if (r->argv0 && !r->reexec && !in_argv(k, r->argv0)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_stack k;
	if (size < 1 || kernel_stack_build(&k, data + 1, size - 1)) return 0;
	struct config_area *cfg = config_area_make(data[0]);
	unsigned char *before = malloc(k.size);
	memcpy(before, k.mem, k.size);
	static struct loader s;
	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.ls.fd = -1;
	hosted_died = 0;
	if (!setjmp(hosted_jump)) {
		read_invocation(&s, k.sp);
		check(&k, &s);
	} else if (hosted_died <= 0 || hosted_died > R_NO_PROGRAM) {
		abort();
	}
	/* Stage 1 reads memory only. */
	if (memcmp(before, k.mem, k.size)) abort();
	free(before);
	free(cfg);
	kernel_stack_free(&k);
	return 0;
}

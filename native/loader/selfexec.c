/* See selfexec.h. */
#include "selfexec.h"
#include "mem.h"
#include "sys.h"

/* A relative path's cwd goes first in the scratch slot, the entry after it. */
#define CWD_MAX 2048

static int same_file(const char *a, const char *b)
{
	struct kstat sa, sb;
	return sys_fstatat(AT_FDCWD, a, &sa, 0) == 0 && sys_fstatat(AT_FDCWD, b, &sb, 0) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

const char *selfexec_program(const struct vec *v, const char *execfn, int stamped)
{
	const char *path = vec_getenv(v, SELFEXEC_ENV);
	if (!path || path[0] != '/' || v->argc < 1) return 0;
	if (stamped) return execfn && same_file(execfn, "/proc/self/exe") ? path : 0;
	return v->argc < 2 || v->argv[1][0] != '-' ? path : 0;
}

int selfexec_entry(struct env_set *e, const char *path, struct scratch *sc)
{
	e->name = SELFEXEC_ENV;
	e->dir = 0;
	e->file = path;
	e->mem = 0;
	while (path[0] == '.' && path[1] == '/') path += 2;
	e->file = path;
	if (path[0] != '/') {
		/* Relative to the cwd of this exec: the program may chdir later. */
		char *cwd = scratch(sc, SCRATCH_SELFEXEC);
		if (!cwd) return -1;
		long n = sys_getcwd(cwd, CWD_MAX);
		if (n <= 0 || cwd[0] != '/') return -1;
		e->dir = cwd;
		e->mem = cwd + CWD_MAX;
		return env_set_size(e) <= SCRATCH_SLOT_SIZE - CWD_MAX ? 0 : -1;
	}
	if (env_set_size(e) > VEC_MAX_ENV) {
		if (!(e->mem = scratch(sc, SCRATCH_SELFEXEC))) return -1;
		if (env_set_size(e) > SCRATCH_SLOT_SIZE) return -1;
	}
	return 0;
}

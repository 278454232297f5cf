/* See selfexec.h. */
#include "selfexec.h"
#include "file.h"
#include "mem.h"
#include "sys.h"

/* A relative path's cwd goes first in the scratch slot, the entry after it. */
#define CWD_MAX 2048

const char *selfexec_program(const struct vec *v, const char *execfn, int stamped)
{
	const char *path = vec_getenv(v, SELFEXEC_ENV);
	if (!path || path[0] != '/' || v->argc < 1) return 0;
	/* The command-mode loader's own syntax starts with an option or "--". */
	if (!stamped && v->argc >= 2 && v->argv[1][0] == '-') return 0;
	/* A #! script whose interpreter a binfmt_misc entry without O or P
	 * matched looks like a direct exec but for this: AT_EXECFN names the
	 * script, not the loader. */
	return same_file(execfn, "/proc/self/exe") ? path : 0;
}

int selfexec_entry(struct env_set *e, const char *path, struct scratch *sc, char *cwd, size_t cwd_size)
{
	while (path[0] == '.' && path[1] == '/') path += 2;
	e->name = SELFEXEC_ENV;
	e->dir = 0;
	e->file = path;
	e->mem = 0;
	if (path[0] != '/') {
		/* Relative to the cwd of this exec: the program may chdir later. A
		 * cwd too long for the caller's buffer goes to the scratch slot. */
		long n = sys_getcwd(cwd, cwd_size);
		if (n == -ERANGE) {
			if (!(cwd = scratch(sc, SCRATCH_SELFEXEC))) return -1;
			n = sys_getcwd(cwd, CWD_MAX);
		}
		if (n <= 0 || cwd[0] != '/') return -1;
		e->dir = cwd;
	}
	size_t size = env_set_size(e);
	if (size <= VEC_MAX_ENV) return 0;
	char *slot = scratch(sc, SCRATCH_SELFEXEC);
	if (!slot) return -1;
	/* After a cwd already in the slot, or at its start. */
	e->mem = e->dir == (const char *)slot ? slot + CWD_MAX : slot;
	return size <= SCRATCH_SLOT_SIZE - (size_t)(e->mem - slot) ? 0 : -1;
}

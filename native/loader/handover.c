/* Stage 4 (loader.h): close, rewrite the vector, return the entry. */
#include "argv-layout.h"
#include "ldso-argv0.h"
#include "loader.h"
#include "mem.h"
#include "report.h"
#include "selfexec.h"
#include "sys.h"

static const char *basename(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (*p == '/' && p[1]) b = p + 1;
	return b;
}

/* ld.so searches a name without '/' like a library, and reads one that
 * starts with '-' as an option: such a path is given as "./path". */
static const char *slashed(struct scratch *sc, const char *path)
{
	const char *p = path;
	while (*p && *p != '/') p++;
	if (*p && path[0] != '-') return path;
	size_t n = strlen(path);
	char *buf = scratch(sc, SCRATCH_PROGRAM_PATH);
	if (!buf) die_prog(path, R_NO_MEMORY, -ENOMEM);
	if (n + 3 > SCRATCH_SLOT_SIZE) die_prog(path, R_PROGRAM_PATH_TOO_LONG, 0);
	memcpy(buf, "./", 2);
	memcpy(buf + 2, path, n + 1);
	return buf;
}

/*
 * What glibc's ld.so removes from the environment in secure mode
 * (sysdeps/generic/unsecvars.h, glibc 2.36-2.42). Run as a command, glibc
 * 2.36's ld.so cannot do it itself: after unsetting one it fails the
 * assertion "auxv == sp + 1" in _dl_start_args_adjust (tested). So with
 * AT_SECURE the loader drops them first, which is what ld.so would have done.
 * The loader itself never looks at their values. aligned(1): no padding before
 * it in the image (elf-check.c).
 */
static const char unsecure_envvars[] __attribute__((aligned(1))) =
	"GCONV_PATH\0GETCONF_DIR\0GLIBC_TUNABLES\0HOSTALIASES\0LD_AUDIT\0LD_DEBUG\0"
	"LD_DEBUG_OUTPUT\0LD_DYNAMIC_WEAK\0LD_HWCAP_MASK\0LD_LIBRARY_PATH\0LD_ORIGIN_PATH\0"
	"LD_PRELOAD\0LD_PROFILE\0LD_SHOW_AUXV\0LD_USE_LOAD_BIAS\0LOCALDOMAIN\0LOCPATH\0"
	"MALLOC_TRACE\0NIS_PATH\0NLSPATH\0RESOLV_HOST_CONF\0RES_OPTIONS\0TMPDIR\0TZDIR\0";

/*
 * The auxv entries the loader owns: what runs is described as if the kernel
 * had executed it (for ld.so: ld.so itself, so that it runs as a command),
 * AT_BASE 0, AT_EXECFN the program, the binfmt_misc bits gone. AT_EXECFD (now
 * closed) becomes AT_IGNORE. Every other entry stays as the kernel wrote it.
 */
static void describe(const struct loader *s)
{
	const struct vec *v = &s->v;
	uintptr_t *execfd = vec_aux(v, AT_EXECFD);
	vec_set(v, AT_PHDR, s->img.phdr);
	vec_set(v, AT_PHNUM, s->img.phnum);
	vec_set(v, AT_PHENT, sizeof(Phdr));
	vec_set(v, AT_ENTRY, s->img.entry);
	vec_set(v, AT_BASE, 0);
	vec_set(v, AT_EXECFN, (uintptr_t)s->r.path);
	vec_set(v, AT_FLAGS, s->at_flags & ~(uintptr_t)AT_FLAGS_PRESERVE_ARGV0);
	if (execfd) execfd[0] = AT_IGNORE;
}

/* The process name: the program's file name in command mode, and when a
 * program re-executed itself by the loader's own name (not /proc/self/exe,
 * for which a direct exec also says "exe"). binfmt_misc already named it. */
static void name_process(const struct loader *s)
{
	const char *execfn = s->r.execfn;
	if (s->r.command || (s->r.reexec && !streq(execfn, "/proc/self/exe")))
		sys_prctl(PR_SET_NAME, (long)basename(s->r.path)); /* the kernel keeps 15 bytes */
}

struct entry hand_over(struct loader *s)
{
	struct request *r = &s->r;
	char *pre[VEC_MAX_PREFIX];
	long k = 0, skip = r->args;
	const char *shown = r->path;
	if (s->ls.fd >= 0 || s->ls.mem) {
		/* A path rewritten to start with "./" keeps its spelling as argv[0]. */
		shown = slashed(&s->sc, r->path);
		if (!r->argv0 && shown != r->path) r->argv0 = r->path;
		/* ld.so's own argv[0] for the program is the path it is given: an
		 * --argv0 that says the same is dropped, and so is the check below
		 * (the common case of a program started by its path). */
		if (r->argv0 && streq(r->argv0, shown)) r->argv0 = 0;
		/* The ld.so opened now may predate --argv0 (a container's own,
		 * natively; another file at a fixed path). An embedded one was
		 * checked by stamp. */
		if (r->argv0 && r->argv0_ok && s->ls.fd >= 0 && !ldso_takes_argv0(&s->ls, &s->ld, s->img.bias))
			r->argv0_ok = 0;
		if (s->ls.fd >= 0) sys_close(s->ls.fd);
		pre[k++] = (char *)s->ldname;
		if (r->library_path) pre[k++] = "--library-path", pre[k++] = (char *)r->library_path;
		if (r->inhibit_cache) pre[k++] = "--inhibit-cache";
		if (r->argv0 && r->argv0_ok) pre[k++] = "--argv0", pre[k++] = (char *)r->argv0;
		/* No "--": glibc before 2.39 rejects it. The program is named by a
		 * path with a '/' that does not start with '-', so no ld.so reads it
		 * as an option or searches for it like a library. */
		pre[k++] = (char *)shown;
		if (s->secure) vec_drop_env(&s->v, unsecure_envvars);
	} else if (r->argv0) {
		/* A static program: argv[0] is the one given (command --argv0,
		 * binfmt P, a re-execution), else the path. */
		pre[k++] = (char *)r->argv0;
	} else {
		skip--;
	}
	sys_close(s->ps.fd);
	/* For the program's own re-executions (selfexec.h); a re-execution
	 * already carries the same entry. */
	struct env_set *set = 0;
#ifndef BINFMT_LOADER_NO_SELFEXEC /* only for bench/loader.bench.mjs: the cost of this */
	struct env_set e;
	char cwd[SELFEXEC_CWD_STACK];
	if (!r->reexec) {
		if (selfexec_entry(&e, r->path, &s->sc, cwd, sizeof cwd) == 0) set = &e;
		else vec_drop_env(&s->v, SELFEXEC_ENV);
	}
#endif
	vec_rebuild(&s->v, pre, k, skip, set);
	describe(s);
	name_process(s);
	return (struct entry){s->img.entry, (uintptr_t)s->v.sp};
}

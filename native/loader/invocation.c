/* See invocation.h and loader.h (stage 1). */
#include "argv-layout.h"
#include "invocation.h"
#include "loader.h"
#include "mem.h"
#include "report.h"
#include "selfexec.h"

static int parse_fd(const char *s)
{
	long v = 0;
	if (!*s) return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1 << 20) return -1;
		v = v * 10 + (*s - '0');
	}
	return (int)v;
}

static void usage(int why)
{
	die(0, "usage",
	    "binfmt-loader [--ld PATH | --ld-fd N] [--library-path DIRS] [--argv0 NAME] [--inhibit-cache] -- PROGRAM "
	    "[ARGS...]",
	    why, 0);
}

void parse_command(const struct vec *v, struct request *r)
{
	long i = 1;
	for (; i < v->argc; i++) {
		const char *a = v->argv[i];
		const char *val = i + 1 < v->argc ? v->argv[i + 1] : 0;
		if (streq(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-') break;
		if (streq(a, "--inhibit-cache")) {
			r->inhibit_cache = 1;
			continue;
		}
		if (!val) usage(R_MISSING_VALUE);
		if (streq(a, "--ld")) r->ld_path = val;
		else if (streq(a, "--ld-fd")) {
			if ((r->ld_fd = parse_fd(val)) < 0) die(0, "option", "--ld-fd", R_NOT_FD, 0);
		} else if (streq(a, "--library-path")) r->library_path = val;
		else if (streq(a, "--argv0")) r->argv0 = val;
		else usage(R_UNKNOWN_OPTION);
		i++;
	}
	if (i >= v->argc) usage(R_NO_PROGRAM);
	r->path = v->argv[i];
	r->args = i + 1;
	/* An explicit --ld/--ld-fd is taken to understand --argv0 (glibc >= 2.33, musl). */
	r->argv0_ok = 1;
}

void parse_binfmt(const struct vec *v, int preserve, struct request *r)
{
	if (v->argc < 2) die_prog(0, R_NO_PATH, 0);
	r->path = v->argv[1];
	r->args = 2;
	if (preserve) {
		if (v->argc < 3) die_prog(r->path, R_NO_ARGV0, 0);
		r->argv0 = v->argv[2];
		r->args = 3;
	}
}

static uintptr_t aux_value(const struct vec *v, uintptr_t type, uintptr_t dflt)
{
	uintptr_t *a = vec_aux(v, type);
	return a ? a[1] : dflt;
}

void read_invocation(struct loader *s, uintptr_t *sp)
{
	struct vec *v = &s->v;
	struct request *r = &s->r;
	const struct config_area *cfg = s->cfg;
	vec_parse(sp, v);
	s->target.machine = ARCH_ELF_MACHINE;
	s->target.max_addr = ARCH_MAX_ADDR;
	s->target.pagesz = aux_value(v, AT_PAGESZ, 4096);
	if (s->target.pagesz & (s->target.pagesz - 1)) die_prog(0, R_BAD_PAGESZ, 0);
	s->at_flags = aux_value(v, AT_FLAGS, 0);
	s->secure = aux_value(v, AT_SECURE, 0) != 0;
	uintptr_t *execfd = vec_aux(v, AT_EXECFD);
	/* Every kernel the loader runs on (5.10 and later) passes AT_EXECFN;
	 * "" stands in for a missing one, so that no use needs a null test. */
	const char *execfn = (const char *)aux_value(v, AT_EXECFN, (uintptr_t) "");
	r->execfn = execfn;
	r->scratch = &s->sc;
	r->prog_fd = execfd ? (int)execfd[1] : -1;
	r->ld_fd = -1;
	int stamped = cfg->policy != POLICY_UNSET;
	/* binfmt_misc passes the program's path both as argv[1] and as AT_EXECFN
	 * (unless a #! script led to it); a direct exec names the loader there. */
	int binfmt = execfd || (s->at_flags & AT_FLAGS_PRESERVE_ARGV0) || (v->argc >= 2 && streq(execfn, v->argv[1]));
	const char *again = binfmt || s->secure ? 0 : selfexec_program(v, execfn, stamped);
	if (again) {
		/* The program executed its own /proc/self/exe: argv is all its own. */
		r->path = again;
		r->argv0 = v->argv[0];
		r->args = 1;
		r->reexec = 1;
	} else if (binfmt || stamped) {
		parse_binfmt(v, binfmt_preserves_argv0(s->at_flags, cfg->flags), r);
	} else {
		if (s->secure) die_prog(0, R_SECURE_COMMAND, 0);
		r->command = 1;
		parse_command(v, r);
		return;
	}
	const char *lib = config_string(cfg, CONFIG_LIBRARY_PATH);
	if (*lib) r->library_path = lib;
	r->inhibit_cache = (cfg->flags & CONFIG_INHIBIT_CACHE) != 0;
	/* Unstamped: the program's own ld.so, assumed to take --argv0
	 * (glibc >= 2.33, musl); a stamped copy says so in its flags. */
	r->argv0_ok = !stamped || (cfg->flags & CONFIG_ARGV0) != 0;
}

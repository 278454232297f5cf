/* See invocation.h. */
#include "invocation.h"
#include "mem.h"
#include "report.h"

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

static void usage(const char *why)
{
	die(0, "usage", "binfmt-loader [--ld PATH | --ld-fd N] [--library-path DIRS] [--argv0 NAME] [--inhibit-cache] -- PROGRAM [ARGS...]", why, 0);
}

void parse_command(const struct vec *v, struct request *r)
{
	long i = 1;
	for (; i < v->argc; i++) {
		const char *a = v->argv[i];
		const char *val = i + 1 < v->argc ? v->argv[i + 1] : 0;
		if (streq(a, "--")) { i++; break; }
		if (a[0] != '-') break;
		if (streq(a, "--inhibit-cache")) { r->inhibit_cache = 1; continue; }
		if (!val) usage("missing value for option");
		if (streq(a, "--ld")) r->ld_path = val;
		else if (streq(a, "--ld-fd")) { if ((r->ld_fd = parse_fd(val)) < 0) die(0, "option", "--ld-fd", "not a file descriptor", 0); }
		else if (streq(a, "--library-path")) r->library_path = val;
		else if (streq(a, "--argv0")) r->argv0 = val;
		else usage("unknown option");
		i++;
	}
	if (i >= v->argc) usage("no program given");
	r->path = v->argv[i];
	r->args = i + 1;
	/* An explicit --ld/--ld-fd is taken to understand --argv0 (glibc >= 2.33, musl). */
	r->argv0_ok = 1;
}

void parse_binfmt(const struct vec *v, uintptr_t at_flags, struct request *r)
{
	if (v->argc < 2) die(0, 0, 0, "started by binfmt_misc without a program path", 0);
	r->path = v->argv[1];
	r->args = 2;
	if (at_flags & AT_FLAGS_PRESERVE_ARGV0) {
		if (v->argc < 3) die(r->path, 0, 0, "binfmt_misc P flag set but argv[0] missing", 0);
		r->argv0 = v->argv[2];
		r->args = 3;
	}
}

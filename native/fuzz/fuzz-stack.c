/*
 * libFuzzer harness for stage 4, the stack rewriter (hand_over,
 * native/loader/handover.c, and vec_rebuild/vec_drop_env, stack.c): the
 * kernel's vector (kernel-stack.h) is parsed by stage 1 as the loader would,
 * then rewritten for ld.so or for a static program, with whatever argv[0],
 * library path, AT_SECURE and self re-execution entry that asks for. The
 * new argv, envp and auxv are what ld.so and the program start from, with
 * the program's credentials under binfmt_misc's C flag.
 *
 * Whatever the input, the rewritten vector must lie between the room below
 * the old sp (VEC_MAX_GROWTH) and the old end, 16-byte aligned, with the
 * strings above untouched; argv must be the prefix and then the program's
 * arguments; the environment the old one (less what AT_SECURE drops) plus
 * at most one BINFMT_LOADER_EXE; the auxv the same entries with the
 * loader's own rewritten.
 *
 * Input: one byte (bits 0-5 as fuzz-invocation.c's; bit 6 a static
 * program, else ld.so), eight bytes for the image's entry and phdr, then
 * kernel-stack.h's input.
 */
#include <stdlib.h>
#include <string.h>
#include "config-area.h"
#include "hosted.h"
#include "kernel-stack.h"
#include "../loader/argv-layout.h"
#include "../loader/loader.h"
#include "../loader/report.h"

static const char LDSO[] = "/lib64/ld-linux-x86-64.so.2";
static const char EXE[] = "BINFMT_LOADER_EXE=";
/* Some of what glibc drops in secure mode (handover.c has the whole list). */
static const char *const UNSECURE[] = {"LD_PRELOAD=", "LD_LIBRARY_PATH=", "LD_AUDIT=", "GCONV_PATH=", "TMPDIR="};

#define MAX_ENV 256
#define MAX_AUX 32

struct before {
	char *argv[KSTACK_MAX_ARGC];
	char *envp[MAX_ENV];
	uintptr_t auxv[2 * MAX_AUX];
	long argc, envc, auxc, args;
	const char *path, *argv0;
};

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int dropped(const char *e, int secure_ldso)
{
	if (starts(e, EXE)) return 1;
	for (size_t i = 0; secure_ldso && i < sizeof UNSECURE / sizeof *UNSECURE; i++)
		if (starts(e, UNSECURE[i])) return 1;
	return 0;
}

static void check_argv(const struct before *b, const struct loader *s, int ldso)
{
	const struct vec *v = &s->v;
	/* A static program without an argv[0] of its own keeps its path there. */
	long skip = !ldso && !b->argv0 ? b->args - 1 : b->args;
	long tail = b->argc - skip, k = v->argc - tail;
	if (k < 0 || k > VEC_MAX_PREFIX || v->argv[v->argc]) abort();
	for (long i = 0; i < tail; i++)
		if (v->argv[k + i] != b->argv[skip + i]) abort();
	if (ldso) {
		const char *shown = v->argv[k - 1];
		if (k < 2 || v->argv[0] != s->ldname) abort();
		if (strcmp(shown, b->path) && (strncmp(shown, "./", 2) || strcmp(shown + 2, b->path))) abort();
		if (!strchr(shown, '/') || shown[0] == '-') abort();
	} else if (b->argv0) {
		if (k != 1 || v->argv[0] != b->argv0) abort();
	} else if (k != 0 || v->argv[0] != b->path) {
		abort();
	}
}

static void check_env(const struct before *b, const struct loader *s, int ldso)
{
	long j = 0, exe = 0;
	for (char **e = s->v.envp; *e; e++) {
		if (starts(*e, EXE) && (*e)[sizeof EXE - 1] == '/' && !exe++) continue;
		while (j < b->envc && b->envp[j] != *e) {
			if (!dropped(b->envp[j], ldso && s->secure)) abort();
			j++;
		}
		if (j++ == b->envc) abort();
		if (ldso && s->secure && dropped(*e, 1) && !starts(*e, EXE)) abort();
	}
	for (; j < b->envc; j++)
		if (!dropped(b->envp[j], ldso && s->secure)) abort();
}

static void check_auxv(const struct before *b, const struct loader *s)
{
	const uintptr_t *a = s->v.auxv;
	if (s->v.end - a != 2 * (b->auxc + 1)) abort();
	for (long i = 0; i <= b->auxc; i++, a += 2) {
		uintptr_t type = b->auxv[2 * i], value = b->auxv[2 * i + 1];
		if (a[0] != (type == AT_EXECFD ? AT_IGNORE : type)) abort();
		switch (type) {
		case AT_SECURE:
			if (a[1] != value) abort();
			break;
		case AT_BASE:
			if (a[1] != 0) abort();
			break;
		case AT_ENTRY:
			if (a[1] != s->img.entry) abort();
			break;
		case AT_PHDR:
			if (a[1] != s->img.phdr) abort();
			break;
		case AT_FLAGS:
			if (a[1] != (value & ~(uintptr_t)1)) abort();
			break;
		case AT_EXECFN:
			if (a[1] != (uintptr_t)b->path) abort();
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_stack k;
	if (size < 9 || kernel_stack_build(&k, data + 9, size - 9)) return 0;
	if (k.envc > MAX_ENV || k.auxc >= MAX_AUX) abort();
	struct config_area *cfg = config_area_make(data[0]);
	static struct loader s;
	static struct before b;
	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.ls.fd = -1;
	s.ps.fd = -1;
	hosted_died = 0;
	int ldso = !(data[0] & 64);
	if (setjmp(hosted_jump)) goto out;
	read_invocation(&s, k.sp);
	/* What stages 2 and 3 leave: ld.so (its fd already closed, as an
	 * embedded one has none) or a static program, mapped. */
	s.ldname = cfg->policy == POLICY_EMBEDDED ? config_string(cfg, CONFIG_LD_PATH) : LDSO;
	if (ldso) s.ls.mem = (const unsigned char *)LDSO;
	memcpy(&s.img.entry, data + 1, 4);
	memcpy(&s.img.phdr, data + 5, 4);
	s.img.phnum = data[1];
	memcpy(b.argv, s.v.argv, (size_t)k.argc * sizeof *b.argv);
	memcpy(b.envp, s.v.envp, (size_t)k.envc * sizeof *b.envp);
	memcpy(b.auxv, s.v.auxv, (size_t)(s.v.end - s.v.auxv) * sizeof *b.auxv);
	b.argc = k.argc, b.envc = k.envc, b.auxc = k.auxc;
	b.args = s.r.args, b.path = s.r.path, b.argv0 = s.r.argv0;
	unsigned char *strings = malloc(k.size);
	size_t above = k.size - (size_t)((unsigned char *)k.end - k.mem);
	memcpy(strings, k.end, above);
	struct entry e = hand_over(&s);
	if (e.pc != s.img.entry || e.sp != (uintptr_t)s.v.sp || (e.sp & 15)) abort();
	if (e.sp < (uintptr_t)k.sp - VEC_MAX_GROWTH || s.v.end > k.end) abort();
	if (memcmp(strings, k.end, above)) abort();
	free(strings);
	/* argv[0] as the program sees it: in ld.so mode, ld.so's --argv0. */
	if (ldso && !(s.r.argv0 && s.r.argv0_ok)) b.argv0 = 0;
	check_argv(&b, &s, ldso);
	check_env(&b, &s, ldso);
	check_auxv(&b, &s);
out:
	if (hosted_died && (hosted_died <= 0 || hosted_died > R_NO_PROGRAM)) abort();
	if (s.sc.area) sys_munmap((uintptr_t)s.sc.area, SCRATCH_SLOTS * SCRATCH_SLOT_SIZE);
	free(cfg);
	kernel_stack_free(&k);
	return 0;
}

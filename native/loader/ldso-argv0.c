/*
 * See ldso-argv0.h. glibc's ld.so carries GNU symbol versions; one that
 * defines GLIBC_2.34 or later is new enough (2.33 adds no version to ld.so
 * and is taken as too old: a lost argv[0], never a failed exec). An ld.so
 * without version definitions is musl's, taken as new enough.
 *
 * Cost: one pread of the dynamic section (see elf_dynamic_values: through
 * the mapping it would be a read fault on a RELRO page that ld.so then
 * writes, a second fault). The version definitions and their names are read
 * through the mapping: they lie in ld.so's first, read-only segment, on the
 * page that also holds its relocations, which ld.so reads anyway when it
 * relocates itself, so touching it first costs no extra fault. Every address
 * read is checked against the mapped span first.
 */
#include "ldso-argv0.h"

enum { DT_STRTAB = 5, DT_VERDEF = 0x6ffffffc, DT_VERDEFNUM = 0x6ffffffd };
#define VER_FLG_BASE 1
#define MIN_GLIBC_MINOR 34

struct span {
	uintptr_t lo, hi;
};

static int inside(const struct span *s, uintptr_t p, uint64_t n)
{
	return p >= s->lo && p <= s->hi && n <= s->hi - p;
}

/* The decimal number at *p (at most 999999), and p moved past it; reads
 * nothing at or beyond end. */
static unsigned number(const char **p, const char *end)
{
	unsigned v = 0;
	for (; *p < end && **p >= '0' && **p <= '9' && v < 100000; ++*p) v = v * 10 + (unsigned)(**p - '0');
	return v;
}

/* "GLIBC_2.N[.M]" with N >= MIN_GLIBC_MINOR, or a major above 2. Reads
 * nothing outside the span. */
static int new_enough(const struct span *s, const char *name)
{
	static const char prefix[] = "GLIBC_";
	const char *end = (const char *)s->hi;
	if ((uintptr_t)name < s->lo) return 0;
	for (unsigned i = 0; prefix[i]; i++, name++)
		if (name >= end || *name != prefix[i]) return 0;
	unsigned major = number(&name, end);
	if (major != 2) return major > 2;
	if (name >= end || *name++ != '.') return 0;
	return number(&name, end) >= MIN_GLIBC_MINOR;
}

int ldso_takes_argv0(const struct elf_source *src, const struct elf_info *ld, uintptr_t bias)
{
	static const uint64_t tags[3] __attribute__((aligned(8))) = {DT_STRTAB, DT_VERDEF, DT_VERDEFNUM};
	uint64_t val[3];
	/* No dynamic section: not glibc's, so musl's. */
	if (!elf_dynamic_values(src, ld, tags, val, 3)) return 1;
	const struct span s = {bias + (uintptr_t)ld->lo, bias + (uintptr_t)ld->hi};
	uint64_t strtab = val[0], verdef = val[1], count = val[2];
	if (!verdef) return 1; /* musl */
	uintptr_t v = bias + verdef;
	for (uint64_t i = 0; i < count && inside(&s, v, 20); i++) {
		/* Elf64_Verdef: vd_version, vd_flags, vd_ndx, vd_cnt (u16), vd_hash, vd_aux, vd_next (u32) */
		uint16_t flags = *(const uint16_t *)(v + 2), cnt = *(const uint16_t *)(v + 6);
		uint32_t aux = *(const uint32_t *)(v + 12), next = *(const uint32_t *)(v + 16);
		if (cnt && !(flags & VER_FLG_BASE) && strtab && inside(&s, v + aux, 4)) {
			uint32_t name = *(const uint32_t *)(v + aux);
			if (new_enough(&s, (const char *)(bias + strtab + name))) return 1;
		}
		if (!next) break;
		v += next;
	}
	return 0;
}

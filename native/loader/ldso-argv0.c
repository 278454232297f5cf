/*
 * See ldso-argv0.h. glibc's ld.so carries GNU symbol versions; one that
 * defines GLIBC_2.34 or later is new enough (2.33 adds no version to ld.so
 * and is taken as too old: a lost argv[0], never a failed exec). An ld.so
 * without version definitions is musl's, taken as new enough. Every address
 * read is checked against the mapped span first.
 */
#include "ldso-argv0.h"

enum { DT_NULL = 0, DT_STRTAB = 5, DT_VERDEF = 0x6ffffffc, DT_VERDEFNUM = 0x6ffffffd };
#define VER_FLG_BASE 1
#define MIN_GLIBC_MINOR 34

struct span {
	uintptr_t lo, hi;
};

static int inside(const struct span *s, uintptr_t p, uint64_t n)
{
	return p >= s->lo && p <= s->hi && n <= s->hi - p;
}

/* "GLIBC_2.N[.M]" with N >= MIN_GLIBC_MINOR, or a major above 2. */
static int new_enough(const struct span *s, const char *name)
{
	static const char prefix[] = "GLIBC_";
	for (unsigned i = 0; prefix[i]; i++, name++)
		if (!inside(s, (uintptr_t)name, 1) || *name != prefix[i]) return 0;
	unsigned major = 0, minor = 0;
	for (; inside(s, (uintptr_t)name, 1) && *name >= '0' && *name <= '9'; name++) major = major * 10 + (unsigned)(*name - '0');
	if (major > 2) return 1;
	if (major < 2 || !inside(s, (uintptr_t)name, 1) || *name++ != '.') return 0;
	for (; inside(s, (uintptr_t)name, 1) && *name >= '0' && *name <= '9' && minor < 1000; name++) minor = minor * 10 + (unsigned)(*name - '0');
	return minor >= MIN_GLIBC_MINOR;
}

int ldso_takes_argv0(const struct elf_info *ld, uintptr_t bias)
{
	const struct span s = {bias + (uintptr_t)ld->lo, bias + (uintptr_t)ld->hi};
	const Phdr *dyn = 0;
	for (unsigned i = 0; i < ld->phnum; i++)
		if (ld->ph[i].p_type == PT_DYNAMIC) dyn = &ld->ph[i];
	if (!dyn || !inside(&s, bias + dyn->p_vaddr, dyn->p_filesz)) return 1;
	uint64_t strtab = 0, verdef = 0, count = 0;
	const uint64_t *d = (const uint64_t *)(bias + dyn->p_vaddr);
	for (uint64_t k = 0; k + 16 <= dyn->p_filesz && d[0] != DT_NULL; k += 16, d += 2) {
		if (d[0] == DT_STRTAB) strtab = d[1];
		else if (d[0] == DT_VERDEF) verdef = d[1];
		else if (d[0] == DT_VERDEFNUM) count = d[1];
	}
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

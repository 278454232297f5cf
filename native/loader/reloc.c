/* See reloc.h. The loader is linked at address 0, so base = &__ehdr_start. */
#include "reloc.h"
#include "sys.h"

#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_RELRSZ 35
#define DT_RELR 36

extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern uintptr_t _DYNAMIC[] __attribute__((visibility("hidden")));

uintptr_t reloc_base(void) { return (uintptr_t)__ehdr_start; }

int reloc_self(void)
{
	uintptr_t base = reloc_base();
	uintptr_t rela = 0, relasz = 0, relr = 0, relrsz = 0;
	for (uintptr_t *d = _DYNAMIC; d[0] != DT_NULL; d += 2) {
		switch (d[0]) {
		case DT_RELA: rela = d[1]; break;
		case DT_RELASZ: relasz = d[1]; break;
		case DT_RELR: relr = d[1]; break;
		case DT_RELRSZ: relrsz = d[1]; break;
		}
	}
	for (uintptr_t *r = (uintptr_t *)(base + rela); relasz >= 24; r += 3, relasz -= 24) {
		if ((uint32_t)r[1] != ARCH_R_RELATIVE) return -1;
		*(uintptr_t *)(base + r[0]) = base + r[2];
	}
	/* DT_RELR: an address entry, then bitmaps of the following words. */
	uintptr_t *where = 0;
	for (uintptr_t *r = (uintptr_t *)(base + relr); relrsz >= 8; r++, relrsz -= 8) {
		if (!(r[0] & 1)) {
			where = (uintptr_t *)(base + r[0]);
			*where++ += base;
		} else {
			uintptr_t bits = r[0] >> 1;
			for (int i = 0; bits; bits >>= 1, i++)
				if (bits & 1) where[i] += base;
			where += 8 * sizeof(uintptr_t) - 1;
		}
	}
	return 0;
}

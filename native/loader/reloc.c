/* See reloc.h. The loader is linked at address 0, so base = &__ehdr_start. */
#include "reloc.h"

#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_REL 17
#define DT_RELSZ 18
#define DT_RELRSZ 35

extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const uintptr_t _DYNAMIC[] __attribute__((visibility("hidden")));

uintptr_t reloc_base(void) { return (uintptr_t)__ehdr_start; }

int reloc_self(void)
{
	for (const uintptr_t *d = _DYNAMIC; d[0] != DT_NULL; d += 2)
		if ((d[0] == DT_RELASZ || d[0] == DT_RELSZ || d[0] == DT_RELRSZ) && d[1]) return -1;
	return 0;
}

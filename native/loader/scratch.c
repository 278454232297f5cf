/* See scratch.h. */
#include "scratch.h"
#include "sys.h"

void *scratch(struct scratch *s, enum scratch_slot slot)
{
	if (!s->area) {
		long r = sys_mmap(0, SCRATCH_SLOTS * SCRATCH_SLOT_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r < 0) return 0;
		s->area = (unsigned char *)r;
	}
	return s->area + (unsigned)slot * SCRATCH_SLOT_SIZE;
}

/* See scratch.h. */
#include "scratch.h"
#include "sys.h"

void *scratch(enum scratch_slot slot)
{
	static unsigned char *area;
	if (!area) {
		long r = sys_mmap(0, SCRATCH_SLOTS * SCRATCH_SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r < 0) return 0;
		area = (unsigned char *)r;
	}
	return area + (unsigned)slot * SCRATCH_SLOT_SIZE;
}

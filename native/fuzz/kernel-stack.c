/* See kernel-stack.h. */
#include "kernel-stack.h"
#include <stdlib.h>
#include <string.h>
#include "../loader/stack.h"

#define AT_HWCAP 16
#define AT_RANDOM 25
#define ROOM (((size_t)VEC_MAX_GROWTH + 15) & ~(size_t)15)
#define MAX_STRINGS 256

/* The kernel's other entries (create_elf_tables, ARCH_DLINFO): AT_IGNORE,
 * AT_PHENT, AT_PHNUM, AT_BASE, AT_ENTRY, AT_UID .. AT_EGID, AT_PLATFORM,
 * AT_CLKTCK, AT_HWCAP2, AT_RSEQ_*, AT_SYSINFO_EHDR, AT_MINSIGSTKSZ. Never
 * AT_PAGESZ 0 or a second AT_PAGESZ, AT_EXECFD, AT_FLAGS, AT_SECURE or
 * AT_EXECFN: those are byte 0's. */
static const uint8_t OTHER_TYPES[] = {1, 4, 5, 7, 9, 11, 12, 13, 14, 15, 17, 26, 27, 28, 33, 51};

int kernel_stack_build(struct kernel_stack *k, const uint8_t *data, size_t size)
{
	if (size < 4) return -1;
	uint8_t flags = data[0], extra = data[2] & 7, arg = data[3];
	const char *text = (const char *)data + 4;
	size_t len = size - 4;
	/* The strings, each ending at a NUL or at the end of the input. */
	size_t starts[MAX_STRINGS], lens[MAX_STRINGS];
	long n = 0;
	for (size_t i = 0; i < len && n < MAX_STRINGS; n++) {
		starts[n] = i;
		while (i < len && text[i]) i++;
		lens[n] = i - starts[n];
		i++;
	}
	long argc = data[1] % KSTACK_MAX_ARGC;
	int execfn_kind = (flags >> 4) & 3;
	long own_execfn = execfn_kind == 2 && n > argc;
	long envc = n > argc ? n - argc - own_execfn : 0;
	long auxc = 4 + (flags & 1) + !!(flags & 4) + (execfn_kind != 0) + !(flags & 64) + extra;
	size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * ((size_t)auxc + 1);
	size_t vector = (words * sizeof(uintptr_t) + 15) & ~(size_t)15;
	size_t strings = len + (size_t)argc + 1 + sizeof "/proc/self/exe";
	k->size = ROOM + vector + strings;
	k->mem = malloc(k->size);
	k->sp = (uintptr_t *)(k->mem + ROOM);
	k->argc = argc;
	k->envc = envc;
	k->auxc = auxc;
	k->secure = (flags & 1) && (flags & 2);
	memset(k->mem, 0xa5, ROOM + vector); /* what lies below sp is not zero */
	char *str = (char *)k->mem + ROOM + vector, *first_arg = 0;
	uintptr_t *w = k->sp;
	*w++ = (uintptr_t)argc;
	for (long i = 0; i < argc + envc; i++) {
		if (i == argc) *w++ = 0;
		size_t l = i < n ? lens[i] : 0;
		if (i < n) memcpy(str, text + starts[i], l);
		str[l] = 0;
		if (i == 1) first_arg = str;
		*w++ = (uintptr_t)str;
		str += l + 1;
	}
	if (argc + envc == argc) *w++ = 0;
	*w++ = 0;
	/* The kernel's own entries first, as create_elf_tables writes them. */
	uintptr_t *aux = w;
	*w++ = AT_HWCAP, *w++ = 0x178bfbff;
	if (!(flags & 64)) *w++ = AT_PAGESZ, *w++ = flags & 128 ? (uintptr_t)1 << (arg & 63) : 4096;
	*w++ = AT_PHDR, *w++ = 0x400040;
	uint64_t used = 0;
	for (long i = 0; i < extra; i++) {
		/* Each type once, as the kernel writes them (ld.so reads the
		 * last of two, getauxval the first); AT_IGNORE may repeat. */
		uint8_t t = (size_t)i < len ? (uint8_t)text[len - 1 - (size_t)i] : 0;
		uint8_t type = OTHER_TYPES[t % sizeof OTHER_TYPES];
		if (used & (1ull << type)) type = AT_IGNORE;
		used |= 1ull << type;
		*w++ = type, *w++ = (uintptr_t)t << (i * 8);
	}
	if (flags & 4) *w++ = AT_EXECFD, *w++ = arg;
	if (flags & 8) *w++ = AT_FLAGS, *w++ = 1;
	else *w++ = AT_FLAGS, *w++ = 0;
	if (flags & 1) *w++ = AT_SECURE, *w++ = !!(flags & 2);
	*w++ = AT_RANDOM, *w++ = (uintptr_t)k->mem; /* not read by the loader */
	k->execfn = 0;
	if (execfn_kind) {
		const char *fn = first_arg ? first_arg : "";
		if (execfn_kind == 2 && own_execfn) {
			memcpy(str, text + starts[n - 1], lens[n - 1]);
			str[lens[n - 1]] = 0;
			fn = str;
		} else if (execfn_kind == 3) {
			memcpy(str, "/proc/self/exe", sizeof "/proc/self/exe");
			fn = str;
		}
		*w++ = AT_EXECFN, *w++ = (uintptr_t)fn;
		k->execfn = fn;
	}
	*w++ = AT_NULL, *w++ = 0;
	k->end = w;
	k->auxc = (w - aux) / 2 - 1;
	return 0;
}

void kernel_stack_free(struct kernel_stack *k)
{
	free(k->mem);
	k->mem = 0;
}

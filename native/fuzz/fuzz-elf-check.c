/*
 * libFuzzer harness for the loader's ELF validation (native/loader/elf-check.c,
 * compiled here as ordinary hosted C with ASan and UBSan). Whatever the
 * bytes, elf_check must return, read nothing outside them, and, when it
 * accepts a file, describe a span the loader can reserve.
 */
#include <stdint.h>
#include <stdlib.h>
#include "../loader/elf-check.h"

#define PAGE 4096
/* x86_64 with 4-level paging (the loader's ARCH_MAX_ADDR there). */
#define MAX_ADDR (1UL << 47)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_info info;
	for (int machine = 62; machine <= 62; machine++) {
		const struct elf_target t = {machine, PAGE, MAX_ADDR};
		enum elf_err e = elf_check(data, size, &t, &info);
		if (e != ELF_OK) {
			if (!elf_strerror(e)[0]) abort();
			continue;
		}
		/* What the loader relies on after a successful check. */
		if (info.phnum == 0 || info.phnum > ELF_MAX_PHNUM) abort();
		if (info.lo >= info.hi || info.hi > MAX_ADDR) abort();
		if ((info.lo | info.hi) & (PAGE - 1)) abort();
		if (info.align < PAGE || (info.align & (info.align - 1)) || info.align > MAX_ADDR) abort();
		for (unsigned i = 0; i < info.phnum; i++) {
			const Phdr *p = &info.ph[i];
			if (p->p_type != PT_LOAD) continue;
			if (p->p_offset + p->p_filesz > size || p->p_filesz > p->p_memsz) abort();
			if (p->p_vaddr < info.lo || p->p_vaddr + p->p_memsz > info.hi) abort();
		}
		if (info.interp >= 0 && info.ph[info.interp].p_offset + info.ph[info.interp].p_filesz > size) abort();
	}
	return 0;
}

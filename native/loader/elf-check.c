/*
 * ELF validation (see elf-check.h). Everything here is arithmetic on bytes
 * the caller read; it must hold up against any input (it is fuzzed).
 */
#include "elf-check.h"

static void copy_bytes(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	while (n--) *dp++ = *sp++;
}

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* One text per enum elf_err, in its order (elf-check.h). aligned(1): x86_64 gcc
 * otherwise aligns an array of 32 bytes or more to 32, padding the image. */
#define ELF_ERR_TEXT(name, text) text "\0"
static const char elf_errors[] __attribute__((aligned(1))) = "ok\0" ELF_ERR_LIST(ELF_ERR_TEXT);

const char *elf_strerror(enum elf_err e)
{
	const char *p = elf_errors;
	for (unsigned i = 0; i < (unsigned)e && *p; i++)
		while (*p++) {}
	return *p ? p : "invalid ELF file";
}

/* After elf_check_header has matched the magic. */
static enum elf_err check_header(const Ehdr *eh, int machine)
{
	if (eh->e_ident[4] != 2) return ELF_ECLASS; /* ELFCLASS64 */
	if (eh->e_ident[5] != 1) return ELF_EDATA;  /* ELFDATA2LSB */
	if (eh->e_machine != machine) return ELF_EMACHINE;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) return ELF_ETYPE;
	if (eh->e_phentsize != sizeof(Phdr)) return ELF_EPHENT;
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM) return ELF_EPHNUM;
	return ELF_OK;
}

static enum elf_err check_load(const Phdr *p, uint64_t file_size, const struct elf_target *t)
{
	if (p->p_filesz > p->p_memsz) return ELF_ESEGMENT;
	if (p->p_vaddr >= t->max_addr || p->p_memsz >= t->max_addr || p->p_vaddr + p->p_memsz > t->max_addr)
		return ELF_ESEGMENT;
	if (p->p_offset > file_size || p->p_filesz > file_size - p->p_offset) return ELF_ETRUNC;
	if ((p->p_vaddr - p->p_offset) & (t->pagesz - 1)) return ELF_EALIGN;
	/* A p_align that is not a power of two is ignored, as the kernel's
	 * maximum_alignment() does; one beyond every user address is refused. */
	if (is_pow2(p->p_align) && p->p_align > t->max_addr) return ELF_EALIGN;
	return ELF_OK;
}

enum elf_err elf_check_header(const unsigned char *buf, size_t n, uint64_t file_size, const struct elf_target *t,
			      Ehdr *eh)
{
	if (n < 4 || file_size < 4) return ELF_ETRUNC;
	if (buf[0] != 0x7f || buf[1] != 'E' || buf[2] != 'L' || buf[3] != 'F') return ELF_EMAGIC;
	if (n < sizeof(Ehdr) || file_size < sizeof(Ehdr)) return ELF_ETRUNC;
	copy_bytes(eh, buf, sizeof(Ehdr));
	enum elf_err e = check_header(eh, t->machine);
	if (e) return e;
	uint64_t phsz = (uint64_t)eh->e_phnum * sizeof(Phdr);
	if (eh->e_phoff > file_size || phsz > file_size - eh->e_phoff) return ELF_ETRUNC;
	return ELF_OK;
}

enum elf_err elf_check_phdrs(const unsigned char *phbytes, uint64_t file_size, const struct elf_target *t,
			     struct elf_info *out)
{
	uint64_t pagesz = t->pagesz;
	enum elf_err e;
	uint64_t phsz = (uint64_t)out->eh.e_phnum * sizeof(Phdr);
	uint64_t phoff = out->eh.e_phoff;
	out->phnum = out->eh.e_phnum;
	out->ph = (const Phdr *)phbytes;

	uint64_t lo = UINT64_MAX, hi = 0, align = pagesz, prev_end = 0, phdr_vaddr = 0;
	int loads = 0, pt_phdr = -1, entry_ok = 0;
	out->phdr_loaded = 0;
	out->interp = -1;
	out->exec_stack = 0;
	for (unsigned i = 0; i < out->phnum; i++) {
		const Phdr *p = &out->ph[i];
		/* The kernel uses the first PT_INTERP and never looks at another. */
		if (p->p_type == PT_INTERP && out->interp < 0) {
			if (p->p_filesz < 2 || p->p_filesz > ELF_MAX_INTERP) return ELF_EINTERP;
			if (p->p_offset > file_size || p->p_filesz > file_size - p->p_offset) return ELF_ETRUNC;
			out->interp = (int)i;
		} else if (p->p_type == PT_GNU_STACK) {
			out->exec_stack = (p->p_flags & PF_X) != 0;
		} else if (p->p_type == PT_PHDR) {
			pt_phdr = (int)i;
		}
		if (p->p_type != PT_LOAD) continue;
		e = check_load(p, file_size, t);
		if (e) return e;
		/* Ascending and disjoint, as the kernel and ld.so assume. */
		if (loads && p->p_vaddr < prev_end) return ELF_EOVERLAP;
		prev_end = p->p_vaddr + p->p_memsz;
		uint64_t start = p->p_vaddr & ~(pagesz - 1);
		uint64_t end = (prev_end + pagesz - 1) & ~(pagesz - 1);
		if (start < lo) lo = start;
		if (end > hi) hi = end;
		if (is_pow2(p->p_align) && p->p_align > align) align = p->p_align;
		if (phoff >= p->p_offset && phoff - p->p_offset <= p->p_filesz &&
		    phsz <= p->p_filesz - (phoff - p->p_offset))
			phdr_vaddr = p->p_vaddr + (phoff - p->p_offset);
		/* The kernel's test for AT_PHDR (load_elf_binary). */
		if (phoff >= p->p_offset && phoff - p->p_offset < p->p_filesz) out->phdr_loaded = 1;
		if ((p->p_flags & PF_X) && out->eh.e_entry >= p->p_vaddr && out->eh.e_entry - p->p_vaddr < p->p_memsz)
			entry_ok = 1;
		loads++;
	}
	if (!loads) return ELF_ENOLOAD;
	if (hi <= lo || hi > t->max_addr) return ELF_ESEGMENT;
	if (!entry_ok) return ELF_EENTRY;
	if (pt_phdr >= 0) phdr_vaddr = out->ph[pt_phdr].p_vaddr;
	out->lo = lo;
	out->hi = hi;
	out->align = align;
	out->phdr_vaddr = phdr_vaddr;
	return ELF_OK;
}

enum elf_err elf_check(const unsigned char *buf, size_t n, const struct elf_target *t, struct elf_info *out)
{
	enum elf_err e = elf_check_header(buf, n, n, t, &out->eh);
	if (e) return e;
	if (out->eh.e_phoff % 8) return ELF_EPHENT; /* this entry reads the headers in place */
	return elf_check_phdrs(buf + out->eh.e_phoff, n, t, out);
}

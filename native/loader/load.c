/*
 * ELF loading (see load.h). The shape follows musl's map_library and the
 * kernel's load_elf_binary/elf_map; the bss handling follows the kernel's
 * padzero (glibc's minimal malloc relies on the rest of ld.so's last data
 * page being zero: chainloader.md finding 3).
 */
#include "load.h"
#include "sys.h"
#include "mem.h"

static int fail(struct failure *f, const char *what, long err)
{
	f->what = what;
	f->err = err;
	return -1;
}

/* pread until n bytes or end of file; returns bytes read or -errno. */
static long read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	while (got < n) {
		long r = sys_pread(fd, (char *)buf + got, n - got, (long)(off + got));
		if (r == -EINTR) continue;
		if (r < 0) return r;
		if (r == 0) break;
		got += (size_t)r;
	}
	return (long)got;
}

int elf_read(struct elf_source *src, uint64_t pagesz, struct elf_info *info, struct failure *f)
{
	unsigned char buf[sizeof(Ehdr) + ELF_MAX_PHNUM * sizeof(Phdr)];
	const unsigned char *hdr = src->mem, *ph;
	size_t n = src->size < sizeof buf ? (size_t)src->size : sizeof buf;
	enum elf_err e;

	if (src->fd >= 0) {
		struct kstat st;
		long r = sys_fstat(src->fd, &st);
		if (r < 0) return fail(f, "cannot stat", r);
		if ((st.st_mode & 0170000) != 0100000) return fail(f, "not a regular file", 0);
		src->size = (uint64_t)st.st_size;
		r = read_at(src->fd, buf, sizeof buf, 0);
		if (r < 0) return fail(f, "cannot read", r);
		hdr = buf;
		n = (size_t)r;
	}
	e = elf_check_header(hdr, n, src->size, ARCH_ELF_MACHINE, &info->eh);
	if (e) return fail(f, elf_strerror(e), 0);
	size_t phsz = info->eh.e_phnum * sizeof(Phdr);
	if (src->fd < 0 || info->eh.e_phoff + phsz <= n) {
		ph = hdr + info->eh.e_phoff;
	} else {
		long r = read_at(src->fd, buf, phsz, info->eh.e_phoff);
		if (r < 0) return fail(f, "cannot read", r);
		if ((size_t)r < phsz) return fail(f, elf_strerror(ELF_ETRUNC), 0);
		ph = buf;
	}
	e = elf_check_phdrs(ph, src->size, pagesz, info);
	if (e) return fail(f, elf_strerror(e), 0);
	return 0;
}

int elf_needs_libraries(const struct elf_source *src, const struct elf_info *info, struct failure *f)
{
	enum { DT_NULL = 0, DT_NEEDED = 1, CHUNK = 32 };
	for (unsigned i = 0; i < info->phnum; i++) {
		const Phdr *p = &info->ph[i];
		if (p->p_type != PT_DYNAMIC) continue;
		uint64_t d[CHUNK * 2]; /* Elf64_Dyn: d_tag, d_val */
		for (uint64_t off = 0; off + 16 <= p->p_filesz; off += sizeof d) {
			uint64_t n = p->p_filesz - off < sizeof d ? p->p_filesz - off : sizeof d;
			if (src->fd >= 0) {
				long r = read_at(src->fd, d, (size_t)n, p->p_offset + off);
				if (r < 0) return fail(f, "cannot read", r);
				n = (uint64_t)r;
			} else {
				memcpy(d, src->mem + p->p_offset + off, (size_t)n);
			}
			for (uint64_t k = 0; k + 1 < n / 8; k += 2) {
				if (d[k] == DT_NULL) return 0;
				if (d[k] == DT_NEEDED) return 1;
			}
			if (n < sizeof d) break;
		}
		return 0;
	}
	return 0;
}

int elf_read_interp(const struct elf_source *src, const struct elf_info *info, char *buf, struct failure *f)
{
	const Phdr *p = &info->ph[info->interp];
	size_t n = (size_t)p->p_filesz;
	if (src->fd >= 0) {
		long r = read_at(src->fd, buf, n, p->p_offset);
		if (r < 0) return fail(f, "cannot read", r);
		if ((size_t)r < n) return fail(f, elf_strerror(ELF_ETRUNC), 0);
	} else {
		memcpy(buf, src->mem + p->p_offset, n);
	}
	/* The string must end with its NUL, inside the segment, and start with '/'
	 * (the kernel opens it relative to the cwd otherwise: refuse that). */
	if (buf[n - 1] != 0 || strlen(buf) != n - 1 || buf[0] != '/') return fail(f, elf_strerror(ELF_EINTERP), 0);
	return 0;
}

static int prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) | ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Places file bytes [page_off, page_off+len) at addr with protection prot. */
static long place(const struct elf_source *src, uintptr_t addr, size_t len, int prot, uint64_t page_off)
{
	if (src->fd >= 0) return sys_mmap(addr, len, prot, MAP_PRIVATE | MAP_FIXED, src->fd, (long)page_off);
	/* Embedded: move the kernel's read-only pages of the loader file into
	 * place (no copy), then set the segment's protection. The stamper lays the
	 * image out so that no two segments share a page. */
	long r = sys_mremap((uintptr_t)src->mem + page_off, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, addr);
	if (r < 0) return r;
	return sys_mprotect(addr, len, prot);
}

static int map_segment(const struct elf_source *src, const Phdr *p, uintptr_t bias, uint64_t pagesz, struct failure *f)
{
	int prot = prot_of(p->p_flags);
	uintptr_t start = bias + p->p_vaddr;
	uintptr_t page = start & ~(pagesz - 1);
	uintptr_t file_end = start + p->p_filesz;
	uintptr_t file_page_end = (file_end + pagesz - 1) & ~(pagesz - 1);
	uintptr_t mem_end = (start + p->p_memsz + pagesz - 1) & ~(pagesz - 1);
	long r;

	if (p->p_filesz) {
		/* The bss tail of the last file page must be zeroed: make that
		 * page writable (never writable and executable at once) first. */
		int tail = p->p_memsz > p->p_filesz && file_page_end > file_end;
		int first = tail ? (prot & ~PROT_EXEC) | PROT_WRITE : prot;
		r = place(src, page, file_page_end - page, first, p->p_offset - (start - page));
		if (r < 0) return fail(f, "cannot map segment", r);
		if (tail) {
			memset((void *)file_end, 0, file_page_end - file_end);
			if (first != prot && (r = sys_mprotect(page, file_page_end - page, prot)) < 0)
				return fail(f, "cannot protect segment", r);
		}
	} else {
		file_page_end = page;
	}
	if (mem_end > file_page_end) {
		r = sys_mmap(file_page_end, mem_end - file_page_end, prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
		if (r < 0) return fail(f, "cannot map bss", r);
	}
	return 0;
}

int elf_map(const struct elf_source *src, const struct elf_info *info, uint64_t pagesz,
	    struct elf_image *img, struct failure *f)
{
	uint64_t span = info->hi - info->lo;
	uintptr_t base;
	long r;

	if (info->eh.e_type == ET_DYN) {
		/* Reserve once with room to align, then trim the slop. */
		size_t len = span + info->align - pagesz;
		r = sys_mmap(0, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (r < 0) return fail(f, "no room to map", r);
		base = ((uintptr_t)r + info->align - 1) & ~(uintptr_t)(info->align - 1);
		if (base > (uintptr_t)r) sys_munmap((uintptr_t)r, base - (uintptr_t)r);
		if ((uintptr_t)r + len > base + span) sys_munmap(base + span, (uintptr_t)r + len - (base + span));
	} else {
		/* ET_EXEC lives at its link address: fail rather than overlap. */
		r = sys_mmap(info->lo, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (r < 0 || (uintptr_t)r != info->lo) {
			if (r >= 0) sys_munmap((uintptr_t)r, span);
			return fail(f, "no room to map at its fixed address", r < 0 ? r : -EEXIST);
		}
		base = info->lo;
	}
	uintptr_t bias = base - info->lo;
	for (unsigned i = 0; i < info->phnum; i++)
		if (info->ph[i].p_type == PT_LOAD && map_segment(src, &info->ph[i], bias, pagesz, f)) return -1;
	img->bias = bias;
	img->entry = bias + info->eh.e_entry;
	img->phdr = info->phdr_vaddr ? bias + info->phdr_vaddr : 0;
	img->phnum = info->phnum;
	return 0;
}

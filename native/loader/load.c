/*
 * ELF loading (see load.h). The shape follows musl's map_library and the
 * kernel's load_elf_binary/elf_map; the bss handling follows the kernel's
 * padzero: glibc's minimal malloc takes the rest of ld.so's last data page
 * after _end and assumes it is zero (elf/dl-minimal-malloc.c); zeroed only to
 * p_memsz, ld.so crashed in elf_get_dynamic_info on a garbage link_map.
 */
#include "load.h"
#include "report.h"
#include "sys.h"
#include "mem.h"
#include "scratch.h"

/* One line naming the file (load.h, struct elf_source) and the cause; exit 127. */
static _Noreturn void fail(const struct elf_source *src, int what, long err)
{
	die(src->who, src->kind, src->name, what, err);
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

static void find_size(struct elf_source *src)
{
	struct kstat st;
	long r = sys_fstat(src->fd, &st);
	if (r < 0) fail(src, R_CANNOT_STAT, r);
	if ((st.st_mode & 0170000) != 0100000) fail(src, R_NOT_REGULAR, 0);
	src->size = (uint64_t)st.st_size;
}

void elf_read(struct elf_source *src, const struct elf_target *t, struct elf_info *info, int sized)
{
	unsigned char *phbuf;
	const unsigned char *hdr, *ph;
	size_t n = src->size < ELF_HEAD_SIZE ? (size_t)src->size : ELF_HEAD_SIZE;
	enum elf_err e;

	if (src->fd >= 0) {
		if (sized) find_size(src);
		long r = read_at(src->fd, src->head, ELF_HEAD_SIZE, 0);
		if (r < 0) fail(src, R_CANNOT_READ, r);
		n = (size_t)r;
		/* A short read found the end of the file: its size is known. */
		if (!sized) src->size = n < ELF_HEAD_SIZE ? n : ELF_SIZE_UNKNOWN;
	} else {
		/* The embedded image's pages move when mapped: keep a copy. */
		memcpy(src->head, src->mem, n);
	}
	src->head_len = n;
	hdr = src->head;
	e = elf_check_header(hdr, n, src->size, t, &info->eh);
	if (e) fail(src, e, 0);
	size_t phsz = info->eh.e_phnum * sizeof(Phdr);
	/* In place when read with the head and 8-byte aligned; else a copy. */
	if (info->eh.e_phoff + phsz <= n && !(info->eh.e_phoff & 7)) {
		ph = hdr + info->eh.e_phoff;
	} else if (!(phbuf = scratch(src->scratch, sized ? SCRATCH_PHDRS_LDSO : SCRATCH_PHDRS_PROGRAM))) {
		fail(src, R_NO_MEMORY_PHDRS, -ENOMEM);
	} else if (src->fd < 0) {
		ph = memcpy(phbuf, src->mem + info->eh.e_phoff, phsz);
	} else {
		long r = read_at(src->fd, phbuf, phsz, info->eh.e_phoff);
		if (r < 0) fail(src, R_CANNOT_READ, r);
		if ((size_t)r < phsz) fail(src, ELF_ETRUNC, 0);
		ph = phbuf;
	}
	e = elf_check_phdrs(ph, src->size, t, info);
	if (e) fail(src, e, 0);
}

int elf_dynamic_values(const struct elf_source *src, const struct elf_info *info, const uint64_t *tags, uint64_t *vals,
		       unsigned n)
{
	enum { DT_NULL = 0 };
	int found = 0, all = (1 << n) - 1;
	for (unsigned t = 0; t < n; t++) vals[t] = 0;
	for (unsigned i = 0; i < info->phnum; i++) {
		const Phdr *p = &info->ph[i];
		if (p->p_type != PT_DYNAMIC) continue;
		uint64_t d[ELF_DYN_CHUNK * 2]; /* Elf64_Dyn: d_tag, d_val */
		for (uint64_t off = 0; off + 16 <= p->p_filesz; off += sizeof d) {
			uint64_t len = p->p_filesz - off < sizeof d ? p->p_filesz - off : sizeof d;
			long r = read_at(src->fd, d, (size_t)len, p->p_offset + off);
			if (r < 0) fail(src, R_CANNOT_READ, r);
			len = (uint64_t)r;
			for (uint64_t k = 0; k + 1 < len / 8; k += 2) {
				if (d[k] == DT_NULL) return found;
				for (unsigned t = 0; t < n; t++)
					if (d[k] == tags[t] && !(found & (1 << t))) found |= 1 << t, vals[t] = d[k + 1];
				if (found == all) return found;
			}
			if (len < sizeof d) break;
		}
		return found;
	}
	return found;
}

int elf_needs_libraries(const struct elf_source *src, const struct elf_info *info)
{
	static const uint64_t dt_needed = 1;
	uint64_t v;
	return elf_dynamic_values(src, info, &dt_needed, &v, 1) != 0;
}

const char *elf_read_interp(const struct elf_source *src, const struct elf_info *info)
{
	const Phdr *p = &info->ph[info->interp];
	size_t n = (size_t)p->p_filesz;
	char *buf;
	const char *s;
	if (p->p_offset + n <= src->head_len) {
		s = (const char *)src->head + p->p_offset;
	} else if (!(buf = scratch(src->scratch, SCRATCH_INTERP))) {
		fail(src, R_NO_MEMORY_INTERP, -ENOMEM);
	} else {
		s = buf;
		long r = read_at(src->fd, buf, n, p->p_offset);
		if (r < 0) fail(src, R_CANNOT_READ, r);
		if ((size_t)r < n) fail(src, ELF_ETRUNC, 0);
	}
	/* What the kernel requires (load_elf_binary): the last byte inside the
	 * segment is a NUL; the path is the string up to the first NUL, so NUL
	 * padding after it is fine (what editing a path in place leaves). An
	 * empty or relative path is opened as the kernel would open it. */
	if (s[n - 1] != 0) fail(src, ELF_EINTERP, 0);
	return s;
}

static int prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) | ((flags & PF_X) ? PROT_EXEC : 0);
}

/*
 * Places file bytes [page_off, page_off+len) at addr with protection prot.
 * covered >= 0: the stretched first mapping (see reserve) already holds
 * exactly these file pages here, with protection covered; then only the
 * protection changes, if it differs (GNU ld lays ld.so out with every
 * segment at vaddr == offset: one mmap and two mprotects instead of four
 * mmaps).
 */
static long place(const struct elf_source *src, uintptr_t addr, size_t len, int prot, uint64_t page_off, int covered)
{
	if (covered >= 0) return covered == prot ? 0 : sys_mprotect(addr, len, prot);
	if (src->fd >= 0) return sys_mmap(addr, len, prot, MAP_PRIVATE | MAP_FIXED, src->fd, (long)page_off);
	/* Embedded: move the kernel's read-only pages of the loader file into
	 * place (no copy), then set the segment's protection. The stamper lays the
	 * image out so that no two segments share a page. */
	long r = sys_mremap((uintptr_t)src->mem + page_off, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, addr);
	if (r < 0) return r;
	return sys_mprotect(addr, len, prot);
}

static void map_segment(const struct elf_source *src, const Phdr *p, uintptr_t bias, uint64_t pagesz, int covered)
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
		r = place(src, page, file_page_end - page, first, p->p_offset - (start - page), covered);
		if (r < 0) fail(src, R_CANNOT_MAP, r);
		if (tail) {
			memset((void *)file_end, 0, file_page_end - file_end);
			if (first != prot && (r = sys_mprotect(page, file_page_end - page, prot)) < 0)
				fail(src, R_CANNOT_PROTECT, r);
		}
	} else {
		file_page_end = page;
	}
	if (mem_end > file_page_end) {
		r = sys_mmap(file_page_end, mem_end - file_page_end, prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1,
			     0);
		if (r < 0) fail(src, R_CANNOT_MAP_BSS, r);
	}
}

/*
 * The reservation. ET_EXEC sits at its link address (fail rather than
 * overlap). ET_DYN gets the whole span once, aligned to the largest p_align.
 * When no extra alignment is needed and the first segment is plain file
 * bytes, the reservation is that segment's own mapping stretched over the
 * span (as the kernel's elf_map does): one mmap fewer. Returns the base.
 */
static long reserve(const struct elf_source *src, const struct elf_info *info, uint64_t pagesz, const Phdr *first,
		    int *first_done)
{
	uint64_t span = info->hi - info->lo;
	long r;
	*first_done = 0;
	/* MAP_FIXED_NOREPLACE fails with EEXIST on an overlap (Linux 4.17 and
	 * later; older kernels took it as a hint, and the loader needs 5.10). */
	if (info->eh.e_type != ET_DYN)
		return sys_mmap(info->lo, span, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (src->fd >= 0 && info->align == pagesz && first->p_filesz == first->p_memsz && first->p_filesz) {
		r = sys_mmap(0, span, prot_of(first->p_flags), MAP_PRIVATE, src->fd,
			     (long)(first->p_offset & ~(pagesz - 1)));
		*first_done = r >= 0;
		return r;
	}
	size_t len = span + info->align - pagesz;
	r = sys_mmap(0, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r < 0) return r;
	uintptr_t base = ((uintptr_t)r + info->align - 1) & ~(uintptr_t)(info->align - 1);
	if (base > (uintptr_t)r) sys_munmap((uintptr_t)r, base - (uintptr_t)r);
	if ((uintptr_t)r + len > base + span) sys_munmap(base + span, (uintptr_t)r + len - (base + span));
	return (long)base;
}

void elf_map(struct elf_source *src, struct elf_info *info, const struct elf_target *t, struct elf_image *img)
{
	uint64_t pagesz = t->pagesz;
	const Phdr *first = 0;
	int first_done;
	if (src->size == ELF_SIZE_UNKNOWN) {
		/* Mapping needs every segment inside the file (no SIGBUS later).
		 * The same headers give the same summary, so it is written over
		 * the first. */
		find_size(src);
		enum elf_err e = elf_check_phdrs((const unsigned char *)info->ph, src->size, t, info);
		if (e) fail(src, e, 0);
	}
	for (unsigned i = 0; i < info->phnum && !first; i++)
		if (info->ph[i].p_type == PT_LOAD) first = &info->ph[i];
	long r = reserve(src, info, pagesz, first, &first_done);
	if (r < 0) fail(src, info->eh.e_type == ET_DYN ? R_NO_ROOM : R_NO_ROOM_FIXED, r);
	uintptr_t bias = (uintptr_t)r - info->lo;
	uintptr_t prev_end = (uintptr_t)r;
	for (unsigned i = 0; i < info->phnum; i++) {
		const Phdr *p = &info->ph[i];
		if (p->p_type != PT_LOAD) continue;
		uintptr_t page = (bias + p->p_vaddr) & ~(uintptr_t)(pagesz - 1);
		/* A stretched first segment covers the holes too: close them. */
		if (first_done && page > prev_end && (r = sys_mprotect(prev_end, page - prev_end, PROT_NONE)) < 0)
			fail(src, R_CANNOT_PROTECT_HOLE, r);
		/* Same file-to-memory offset as the stretched first segment: its
		 * mapping already holds this segment's file pages. */
		int covered = first_done && p->p_vaddr - p->p_offset == first->p_vaddr - first->p_offset
				      ? prot_of(first->p_flags)
				      : -1;
		if (!(first_done && p == first)) map_segment(src, p, bias, pagesz, covered);
		prev_end = (bias + p->p_vaddr + p->p_memsz + pagesz - 1) & ~(uintptr_t)(pagesz - 1);
	}
	img->bias = bias;
	img->entry = bias + info->eh.e_entry;
	img->phdr = bias + info->phdr_vaddr;
	img->phnum = info->phnum;
	/* What runs finds its program headers through AT_PHDR. */
	if (!info->phdr_vaddr) fail(src, R_PHDRS_NOT_LOADED, 0);
}

/* Stages 2 and 3a (loader.h): the program, and a static program's mapping. */
#include "file.h"
#include "loader.h"
#include "report.h"
#include "sys.h"

static void exec_stack(const struct loader *s)
{
	/* What the kernel does for PT_GNU_STACK PF_X (the whole stack VMA). */
	uint64_t pagesz = s->target.pagesz;
	long e = sys_mprotect((uintptr_t)s->v.sp & ~(uintptr_t)(pagesz - 1), pagesz,
			      PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);
	if (e < 0) die_prog(s->r.path, R_EXEC_STACK, e);
}

int open_program(struct loader *s)
{
	const char *path = s->r.path;
	s->ps.fd = s->r.prog_fd;
	s->ps.scratch = &s->sc;
	s->ps.who = path;
	if (s->ps.fd < 0 && (s->ps.fd = open_ro(AT_FDCWD, path)) < 0) die_prog(path, R_CANNOT_OPEN, s->ps.fd);
	elf_read(&s->ps, &s->target, &s->prog, 0);
	/* The kernel would hand ld.so (or the program) an AT_PHDR that points at
	 * no program headers, and it fails; ld.so, given the path, would not
	 * notice. Refuse it the same. */
	if (!s->prog.phdr_loaded) die_prog(path, R_PHDRS_NOT_LOADED, 0);
	if (s->prog.exec_stack) exec_stack(s);
	if (s->prog.interp >= 0) return 1;
	/* No PT_INTERP but DT_NEEDED (a .slulb): only ld.so can run it. */
	return elf_needs_libraries(&s->ps, &s->prog);
}

void map_static_program(struct loader *s)
{
	/* glibc's ld.so would re-exec a static program (rtld_chain_load): a loop
	 * under a binfmt_misc entry that matches it. So the loader maps it. */
	elf_map(&s->ps, &s->prog, &s->target, &s->img);
}

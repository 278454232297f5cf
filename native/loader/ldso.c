/* Stage 3b (loader.h): choose, open, validate and map ld.so. */
#include "file.h"
#include "loader.h"
#include "mem.h"
#include "report.h"
#include "sys.h"

/* The loader's own load address: it is linked at 0, so its ELF header's. */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));

static char *utoa(char *end, unsigned long v)
{
	*--end = 0;
	do *--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

/* The resolved ld.so's directory (e.g. /run/host/usr/lib/x86_64-linux-gnu),
 * read back through /proc; without /proc, <root>/usr/lib/<multiarch>. */
static const char *ldso_dir(const struct request *r, int fd, const char *root)
{
	char link[32], *n = utoa(link + sizeof link, (unsigned long)fd);
	n -= 14;
	memcpy(n, "/proc/self/fd/", 14);
	char *buf = scratch(r->scratch, SCRATCH_LIBRARY_PATH);
	if (!buf) die_prog(r->path, R_NO_MEMORY, -ENOMEM);
	long len = sys_readlinkat(AT_FDCWD, n, buf, SCRATCH_SLOT_SIZE - 1);
	if (len > 0 && buf[0] == '/') {
		buf[len] = 0;
		char *slash = buf + len;
		while (*--slash != '/') {}
		*slash = 0;
		if (slash == buf) buf[1] = 0, buf[0] = '/';
		return buf;
	}
	size_t rl = strlen(root);
	if (rl + sizeof "/usr/lib/" ARCH_MULTIARCH > SCRATCH_SLOT_SIZE) die(r->path, "root", root, R_PATH_TOO_LONG, 0);
	memcpy(buf, root, rl);
	memcpy(buf + rl, "/usr/lib/" ARCH_MULTIARCH, sizeof "/usr/lib/" ARCH_MULTIARCH);
	return buf;
}

/*
 * Opens the ld.so at interp. Root "" (a fixed path, or no root): as is.
 * Policy 3 with a root: PT_INTERP resolved inside root (RESOLVE_IN_ROOT),
 * unless root is the same directory as / (st_dev/st_ino), or does not exist
 * here, or does not hold that PT_INTERP: then the program runs natively (the
 * host-runtime policy: the host itself has no /run/host). Returns the ld.so
 * fd; sets the library path to the resolved ld.so's directory unless one is
 * baked in.
 */
static int open_interp(struct request *r, const char *interp, const char *root)
{
	int fd = -ENOENT; /* native, unless the root says otherwise */
	int rfd = root[0] ? (int)sys_openat(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC) : -ENOENT;
	/* No such root here (the host side of a Toolbx registration): native. */
	if (rfd != -ENOENT) {
		if (rfd < 0) die(r->path, "root", root, R_CANNOT_OPEN, rfd);
		/* Once the root opened, neither it nor / can fail a stat but for
		 * lack of kernel memory; then it is taken as another root. */
		if (!same_file(root, "/")) {
			struct open_how how = {O_RDONLY | O_CLOEXEC, 0, RESOLVE_IN_ROOT};
			fd = (int)sys_openat2(rfd, interp, &how);
			if (fd >= 0 && !r->library_path) r->library_path = ldso_dir(r, fd, root);
		}
		sys_close(rfd);
	}
	return fd == -ENOENT ? open_ro(AT_FDCWD, interp) : fd;
}

void map_ldso(struct loader *s)
{
	struct request *r = &s->r;
	const struct config_area *cfg = s->cfg;
	struct elf_source *ls = &s->ls; /* ls->fd is -1 (loader_main) until an ld.so is opened or given */
	ls->scratch = &s->sc;
	s->ldname = "ld.so"; /* an ld.so given as an fd, or embedded without a name */
	/* What to open, and where PT_INTERP is resolved ("" = /). */
	const char *path = 0, *root = "";
	/* An unstamped copy runs each program with its own PT_INTERP. */
	uint32_t policy = cfg->policy == POLICY_UNSET ? POLICY_FROM_PROGRAM : cfg->policy;
	if (r->command) {
		/* --ld wins over --ld-fd. */
		if (!(path = r->ld_path)) ls->fd = r->ld_fd;
		policy = path || ls->fd >= 0 ? POLICY_FIXED : POLICY_FROM_PROGRAM;
	} else if (policy == POLICY_FIXED) {
		path = config_string(cfg, CONFIG_LD_PATH);
	} else if (policy == POLICY_EMBEDDED) {
		const char *name = config_string(cfg, CONFIG_LD_PATH);
		if (*name) s->ldname = name;
		ls->mem = (const unsigned char *)((uintptr_t)__ehdr_start + cfg->embed_vaddr);
		ls->size = cfg->embed_size;
		if (!cfg->embed_vaddr || !ls->size) die_prog(r->path, R_NO_EMBEDDED, 0);
	} else {
		root = config_string(cfg, CONFIG_ROOT);
	}
	if (policy == POLICY_FROM_PROGRAM) {
		if (s->prog.interp < 0) die_prog(r->path, R_NO_LDSO, 0);
		path = elf_read_interp(&s->ps, &s->prog);
	}
	if (path) {
		/* A fixed path has root "": opened as is. */
		s->ldname = path;
		ls->fd = open_interp(r, path, root);
		if (ls->fd < 0) die(r->path, "ld.so", path, R_CANNOT_OPEN, ls->fd);
	}
	const char *name = s->ldname;
	ls->who = r->path;
	ls->kind = "ld.so";
	ls->name = name;
	elf_read(ls, &s->target, &s->ld, 1);
	if (s->ld.eh.e_type != ET_DYN || s->ld.interp >= 0) die(r->path, "ld.so", name, R_NOT_LDSO, 0);
	elf_map(ls, &s->ld, &s->target, &s->img);
}

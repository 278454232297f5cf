/*
 * binfmt-loader: runs a program through an ld.so that this loader maps itself
 * from a file descriptor (or from its own file), so that ld.so need not exist
 * at the path the program names, and so that binfmt_misc can change how
 * chosen binaries start. See docs/binfmt-loader.8.md.
 *
 * The stages, in order; each says what it may do.
 *   0 start (arch/<arch>.h _start): move sp ARCH_FRAME_GAP down the kernel's
 *     stack, so that the argv/auxv vector above can be rewritten without
 *     touching a live frame. No C yet.
 *   1 relocate (reloc.c): check that nothing needs relocating (the image is
 *     read-only). PC-relative only, no calls.
 *   2 read the invocation: the kernel's vector and the baked config. Reads
 *     nothing from the environment, ever. No system calls but prctl/write.
 *   3 open and validate the program's headers; static programs are mapped
 *     here and entered directly (glibc's ld.so would re-exec them: a loop
 *     under binfmt_misc).
 *   4 choose, validate and map ld.so.
 *   5 close every fd used, rewrite argv/auxv in place, return the entry; the
 *     asm enters it with a 16-byte aligned sp and %rdx = 0.
 * Any failure: one line "binfmt-loader: PROGRAM: cause" on fd 2, exit 127.
 */
#include "config.h"
#include "invocation.h"
#include "ldso-argv0.h"
#include "report.h"
#include "load.h"
#include "mem.h"
#include "reloc.h"
#include "scratch.h"
#include "stack.h"
#include "sys.h"

ARCH_START();

__attribute__((used, section(".binfmt_config"), aligned(64))) const struct config_area binfmt_config = {
	.magic = CONFIG_MAGIC,
	.version = CONFIG_VERSION,
	.header_size = CONFIG_HEADER_SIZE,
	.area_size = CONFIG_AREA_SIZE,
};

/* A PT_NOTE naming the loader; `binfmt loader stamp --embed-ld` turns this
 * program header into the PT_LOAD that maps the embedded ld.so. "R" keeps it
 * through --gc-sections. */
__asm__(".section .note.binfmt,\"aR\",@note\n"
	".p2align 2\n"
	".long 7, 4, 0x444c4642\n" /* namesz, descsz, type "BFLD" */
	".asciz \"binfmt\"\n"
	".p2align 2\n"
	".long 1\n"
	".previous\n");


struct entry {
	uintptr_t pc, sp;
};

/* The stamped config: read through a barrier so that the compiler cannot
 * fold the unstamped defaults into the code. */
static const struct config_area *config(void)
{
	const struct config_area *c = &binfmt_config;
	__asm__("" : "+r"(c));
	return c;
}


static const char *basename(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (*p == '/' && p[1]) b = p + 1;
	return b;
}


static const char *slashed(struct scratch *sc, const char *path)
{
	const char *p = path;
	while (*p && *p != '/') p++;
	if (*p && path[0] != '-') return path;
	size_t n = strlen(path);
	char *path_buf = scratch(sc, SCRATCH_PROGRAM_PATH);
	if (!path_buf) die(path, 0, 0, "no memory", -12);
	if (n + 3 > SCRATCH_SLOT_SIZE) die(path, 0, 0, "program path too long", 0);
	memcpy(path_buf, "./", 2);
	memcpy(path_buf + 2, path, n + 1);
	return path_buf;
}

/* O_NONBLOCK: a FIFO named as program or ld.so must fail, not hang in open. */
static int open_ro(int dirfd, const char *path) { return (int)sys_openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); }

static char *utoa(char *end, unsigned long v)
{
	*--end = 0;
	do *--end = (char)('0' + v % 10); while (v /= 10);
	return end;
}

/*
 * Policy 3 with a root: PT_INTERP resolved inside root (RESOLVE_IN_ROOT),
 * unless root is the same directory as / (st_dev/st_ino), or does not exist
 * here, or does not hold that PT_INTERP: then the program runs natively (the
 * host-runtime policy: the host itself has no /run/host). Returns the ld.so
 * fd; sets the library path to the resolved ld.so's directory unless one is
 * baked in.
 */
static int open_interp(const struct request *r, const char *interp, const char *root, const char **lib, const char **ldname)
{
	struct kstat rs, ss;
	*ldname = interp;
	if (!root[0]) return open_ro(AT_FDCWD, interp);
	int rfd = (int)sys_openat(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* No such root here (the host side of a Toolbx registration): native. */
	if (rfd == -ENOENT) return open_ro(AT_FDCWD, interp);
	if (rfd < 0) die(r->path, "root", root, "cannot open", rfd);
	long e = sys_fstat(rfd, &rs);
	if (e < 0) die(r->path, "root", root, "cannot stat", e);
	e = sys_fstatat(AT_FDCWD, "/", &ss, 0);
	if (e < 0) die(r->path, "root", "/", "cannot stat", e);
	if (rs.st_dev == ss.st_dev && rs.st_ino == ss.st_ino) {
		sys_close(rfd);
		return open_ro(AT_FDCWD, interp);
	}
	struct open_how how = {O_RDONLY | O_CLOEXEC, 0, RESOLVE_IN_ROOT};
	int fd = (int)sys_openat2(rfd, interp, &how);
	sys_close(rfd);
	if (fd == -ENOENT) return open_ro(AT_FDCWD, interp);
	if (fd < 0 || *lib) return fd;
	/* The resolved ld.so's directory (e.g. /run/host/usr/lib/x86_64-linux-gnu):
	 * read back through /proc; without /proc, <root>/usr/lib/<multiarch>. */
	char link[32], *n = utoa(link + sizeof link, (unsigned long)fd);
	n -= 14;
	memcpy(n, "/proc/self/fd/", 14);
	char *libpath_buf = scratch(r->scratch, SCRATCH_LIBRARY_PATH);
	if (!libpath_buf) die(r->path, 0, 0, "no memory", -12);
	long len = sys_readlinkat(AT_FDCWD, n, libpath_buf, SCRATCH_SLOT_SIZE - 1);
	if (len > 0 && libpath_buf[0] == '/') {
		libpath_buf[len] = 0;
		char *slash = libpath_buf + len;
		while (*--slash != '/') {}
		*slash = 0;
		if (slash == libpath_buf) libpath_buf[1] = 0, libpath_buf[0] = '/';
	} else {
		size_t rl = strlen(root);
		if (rl + sizeof "/usr/lib/" ARCH_MULTIARCH > SCRATCH_SLOT_SIZE) die(r->path, "root", root, "path too long", 0);
		memcpy(libpath_buf, root, rl);
		memcpy(libpath_buf + rl, "/usr/lib/" ARCH_MULTIARCH, sizeof "/usr/lib/" ARCH_MULTIARCH);
	}
	*lib = libpath_buf;
	return fd;
}

static void exec_stack(const struct vec *v, uint64_t pagesz)
{
	/* What the kernel does for PT_GNU_STACK PF_X (the whole stack VMA). */
	long e = sys_mprotect((uintptr_t)v->sp & ~(uintptr_t)(pagesz - 1), pagesz,
			      PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);
	if (e < 0) die(v->argc > 0 ? v->argv[0] : 0, 0, 0, "cannot make the stack executable", e);
}

/*
 * What glibc's ld.so removes from the environment in secure mode
 * (sysdeps/generic/unsecvars.h, glibc 2.36-2.42). Run as a command, glibc
 * 2.36's ld.so cannot do it itself: after unsetting one it fails the
 * assertion "auxv == sp + 1" in _dl_start_args_adjust (tested). So with
 * AT_SECURE the loader drops them first, which is what ld.so would have done.
 * The loader itself never looks at their values.
 */
static const char unsecure_envvars[] =
	"GCONV_PATH\0GETCONF_DIR\0GLIBC_TUNABLES\0HOSTALIASES\0LD_AUDIT\0LD_DEBUG\0"
	"LD_DEBUG_OUTPUT\0LD_DYNAMIC_WEAK\0LD_HWCAP_MASK\0LD_LIBRARY_PATH\0LD_ORIGIN_PATH\0"
	"LD_PRELOAD\0LD_PROFILE\0LD_SHOW_AUXV\0LD_USE_LOAD_BIAS\0LOCALDOMAIN\0LOCPATH\0"
	"MALLOC_TRACE\0NIS_PATH\0NLSPATH\0RESOLV_HOST_CONF\0RES_OPTIONS\0TMPDIR\0TZDIR\0";

/*
 * The auxv entries the loader owns: what runs is described as if the kernel
 * had executed it (for ld.so: ld.so itself, so that it runs as a command),
 * AT_BASE 0, AT_EXECFN the program, the binfmt_misc bits gone. AT_EXECFD (now
 * closed) becomes AT_IGNORE. Every other entry stays as the kernel wrote it.
 */
static void describe(const struct vec *v, const struct elf_image *img, const char *path, uintptr_t at_flags)
{
	uintptr_t *execfd = vec_aux(v, AT_EXECFD);
	vec_set(v, AT_PHDR, img->phdr);
	vec_set(v, AT_PHNUM, img->phnum);
	vec_set(v, AT_PHENT, sizeof(Phdr));
	vec_set(v, AT_ENTRY, img->entry);
	vec_set(v, AT_BASE, 0);
	vec_set(v, AT_EXECFN, (uintptr_t)path);
	vec_set(v, AT_FLAGS, at_flags & ~(uintptr_t)AT_FLAGS_PRESERVE_ARGV0);
	if (execfd) execfd[0] = AT_IGNORE;
}

struct entry loader_main(uintptr_t *sp)
{
	struct vec v;
	struct scratch sc = {0};
	struct request r = {.scratch = &sc};
	struct failure f = {0};
	struct elf_info prog, ld;
	struct elf_image img;

	/* Stage 1. */
	if (reloc_self()) die(0, 0, 0, "loader is corrupt (it has relocations)", 0);

	/* Stage 2. */
	vec_parse(sp, &v);
	const struct config_area *cfg = config();
	uintptr_t *a;
	uint64_t pagesz = (a = vec_aux(&v, AT_PAGESZ)) ? a[1] : 4096;
	uintptr_t at_flags = (a = vec_aux(&v, AT_FLAGS)) ? a[1] : 0;
	uintptr_t *execfd = vec_aux(&v, AT_EXECFD);
	uintptr_t *secure = vec_aux(&v, AT_SECURE);
	r.prog_fd = execfd ? (int)execfd[1] : -1;
	r.ld_fd = -1;
	if (pagesz & (pagesz - 1)) die(0, 0, 0, "bad AT_PAGESZ", 0);
	if (execfd || (at_flags & AT_FLAGS_PRESERVE_ARGV0) || cfg->policy != POLICY_UNSET) {
		parse_binfmt(&v, at_flags, &r);
		if (cfg->library_path[0]) r.library_path = cfg->library_path;
		r.inhibit_cache = (cfg->flags & CONFIG_INHIBIT_CACHE) != 0;
		/* Unstamped: the program's own ld.so, assumed to take --argv0
		 * (glibc >= 2.33, musl); a stamped copy says so in its flags. */
		r.argv0_ok = cfg->policy == POLICY_UNSET || (cfg->flags & CONFIG_ARGV0) != 0;
	} else {
		if (secure && secure[1]) die(0, 0, 0, "command mode refused: AT_SECURE is set", 0);
		r.command = 1;
		parse_command(&v, &r);
	}

	/* Stage 3. */
	struct elf_source ps = {.fd = r.prog_fd, .scratch = &sc};
	if (ps.fd < 0 && (ps.fd = open_ro(AT_FDCWD, r.path)) < 0) die(r.path, 0, 0, "cannot open", ps.fd);
	if (elf_read(&ps, pagesz, &prog, 0, &f)) die(r.path, 0, 0, f.what, f.err);
	if (prog.exec_stack) exec_stack(&v, pagesz);
	/* No PT_INTERP but DT_NEEDED (a .slulb): only ld.so can run it. */
	int needs_ld = prog.interp < 0 ? elf_needs_libraries(&ps, &prog, &f) : 1;
	if (needs_ld < 0) die(r.path, 0, 0, f.what, f.err);
	if (!needs_ld) {
		if (elf_map(&ps, &prog, pagesz, &img, &f)) die(r.path, 0, 0, f.what, f.err);
		if (!img.phdr) die(r.path, 0, 0, "program headers are not in a loaded segment", 0);
		sys_close(ps.fd);
		char *pre[1] = {(char *)r.argv0};
		/* argv[0] is the one given (command --argv0, binfmt P), else the path. */
		vec_rebuild(&v, pre, r.argv0 ? 1 : 0, r.argv0 ? r.args : r.args - 1);
		describe(&v, &img, r.path, at_flags);
		if (r.command) sys_prctl(PR_SET_NAME, (long)basename(r.path));
		return (struct entry){img.entry, (uintptr_t)v.sp};
	}

	/* Stage 4. */
	struct elf_source ls = {.fd = -1, .scratch = &sc};
	const char *ldname = r.ld_path;
	/* An unstamped copy runs each program with its own PT_INTERP. */
	uint32_t policy = cfg->policy == POLICY_UNSET ? POLICY_FROM_PROGRAM : cfg->policy;
	if (r.command) {
		if (r.ld_path) {
			ls.fd = open_ro(AT_FDCWD, r.ld_path);
			if (ls.fd < 0) die(r.path, "ld.so", r.ld_path, "cannot open", ls.fd);
		} else if (r.ld_fd >= 0) {
			ls.fd = r.ld_fd;
			ldname = "ld.so";
		}
		policy = ls.fd >= 0 ? POLICY_FIXED : POLICY_FROM_PROGRAM;
	} else if (policy == POLICY_FIXED) {
		ldname = cfg->ld_path;
		ls.fd = open_ro(AT_FDCWD, ldname);
		if (ls.fd < 0) die(r.path, "ld.so", ldname, "cannot open", ls.fd);
	} else if (policy == POLICY_EMBEDDED) {
		ldname = cfg->ld_path[0] ? cfg->ld_path : "ld.so";
		ls.mem = (const unsigned char *)(reloc_base() + cfg->embed_vaddr);
		ls.size = cfg->embed_size;
		if (!cfg->embed_vaddr || !ls.size) die(r.path, 0, 0, "loader copy has no embedded ld.so", 0);
	}
	if (policy == POLICY_FROM_PROGRAM) {
		if (prog.interp < 0) die(r.path, 0, 0, "no PT_INTERP, and no ld.so configured to run it with", 0);
		const char *interp = elf_read_interp(&ps, &prog, &f);
		if (!interp) die(r.path, 0, 0, f.what, f.err);
		ls.fd = open_interp(&r, interp, r.command ? "" : cfg->root, &r.library_path, &ldname);
		if (ls.fd < 0) die(r.path, "ld.so", interp, "cannot open", ls.fd);
	}
	if (elf_read(&ls, pagesz, &ld, 1, &f)) die(r.path, "ld.so", ldname, f.what, f.err);
	if (ld.eh.e_type != ET_DYN || ld.interp >= 0) die(r.path, "ld.so", ldname, "not an ld.so (not ET_DYN, or has PT_INTERP)", 0);
	if (elf_map(&ls, &ld, pagesz, &img, &f)) die(r.path, "ld.so", ldname, f.what, f.err);
	if (!img.phdr) die(r.path, "ld.so", ldname, "program headers are not in a loaded segment", 0);

	/* Stage 5. */
	/* A path rewritten to start with "./" keeps its spelling as argv[0]. */
	const char *shown = slashed(&sc, r.path);
	if (!r.argv0 && shown != r.path) r.argv0 = r.path;
	/* ld.so's own argv[0] for the program is the path it is given: an
	 * --argv0 that says the same is dropped, and so is the check below (the
	 * common case of a program started by its path, `./prog`, `/usr/bin/x`). */
	if (r.argv0 && streq(r.argv0, shown)) r.argv0 = 0;
	/* The ld.so opened now may predate --argv0 (a container's own, natively;
	 * another file at a fixed path). An embedded one was checked by stamp. */
	if (r.argv0 && r.argv0_ok && ls.fd >= 0 && !ldso_takes_argv0(&ls, &ld, img.bias)) r.argv0_ok = 0;
	if (ls.fd >= 0) sys_close(ls.fd);
	sys_close(ps.fd);
	char *pre[VEC_MAX_PREFIX];
	long k = 0;
	pre[k++] = (char *)ldname;
	if (r.library_path) pre[k++] = "--library-path", pre[k++] = (char *)r.library_path;
	if (r.inhibit_cache) pre[k++] = "--inhibit-cache";
	if (r.argv0 && r.argv0_ok) pre[k++] = "--argv0", pre[k++] = (char *)r.argv0;
	/* No "--": glibc before 2.39 rejects it. The program is named by a path
	 * with a '/' that does not start with '-', so no ld.so reads it as an
	 * option or searches for it like a library. */
	pre[k++] = (char *)shown;
	if (secure && secure[1]) vec_drop_env(&v, unsecure_envvars);
	vec_rebuild(&v, pre, k, r.args);
	describe(&v, &img, r.path, at_flags);
	/* The kernel reads at most 15 bytes of the name (TASK_COMM_LEN - 1). */
	if (r.command) sys_prctl(PR_SET_NAME, (long)basename(r.path));
	return (struct entry){img.entry, (uintptr_t)v.sp};
}

/*
 * aarch64: everything the loader knows about this architecture, the
 * counterpart of arch/x86_64.h (chosen in sys.h). Cross-built by
 * native/loader/CMakeLists.txt when aarch64-linux-gnu-gcc is present.
 *
 * Stage: used by every stage; no globals, no libc.
 */
#ifndef BINFMT_LOADER_ARCH_H
#define BINFMT_LOADER_ARCH_H

#define ARCH_ELF_MACHINE 183 /* EM_AARCH64 */
#define ARCH_NAME "aarch64"
/* Debian's multiarch directory, for the --root library-path fallback. */
#define ARCH_MULTIARCH "aarch64-linux-gnu"

/* The generic table (include/uapi/asm-generic/unistd.h), which arm64 uses. */
#define SYS_read 63
#define SYS_write 64
#define SYS_close 57
#define SYS_fstat 80
#define SYS_mmap 222
#define SYS_mprotect 226
#define SYS_munmap 215
#define SYS_pread64 67
#define SYS_mremap 216
#define SYS_readlinkat 78
#define SYS_newfstatat 79
#define SYS_exit_group 94
#define SYS_openat 56
#define SYS_prctl 167
#define SYS_openat2 437
#define SYS_getcwd 17

/* Highest user address with 48-bit virtual addresses (arm64's largest
 * common configuration, VA_BITS=48): a segment that ends above it cannot be
 * mapped. */
#define ARCH_MAX_ADDR (1UL << 48)

/* arm64 keeps 32-bit ARM's values here (arch/arm64/include/uapi/asm/fcntl.h). */
#define O_DIRECTORY 040000

/* struct stat as the arm64 kernel writes it (include/uapi/asm-generic/stat.h). */
struct kstat {
	unsigned long st_dev, st_ino;
	unsigned int st_mode, st_nlink, st_uid, st_gid;
	unsigned long st_rdev, pad1;
	long st_size;
	int st_blksize, pad2;
	long st_blocks;
	long st_atime_;
	unsigned long st_atime_ns;
	long st_mtime_;
	unsigned long st_mtime_ns;
	long st_ctime_;
	unsigned long st_ctime_ns;
	unsigned int unused4, unused5;
};

/* One function per argument count, as musl's __syscallN. */
#define ARCH_SVC(...) __asm__ volatile("svc #0" : "+r"(x0) : __VA_ARGS__ : "memory")
static inline long arch_syscall1(long n, long a)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	ARCH_SVC("r"(x8));
	return x0;
}
static inline long arch_syscall2(long n, long a, long b)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	ARCH_SVC("r"(x8), "r"(x1));
	return x0;
}
static inline long arch_syscall3(long n, long a, long b, long c)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	ARCH_SVC("r"(x8), "r"(x1), "r"(x2));
	return x0;
}
static inline long arch_syscall4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	ARCH_SVC("r"(x8), "r"(x1), "r"(x2), "r"(x3));
	return x0;
}
static inline long arch_syscall5(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	ARCH_SVC("r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4));
	return x0;
}
static inline long arch_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
	return x0;
}

/*
 * _start: the kernel enters with sp at argc (16-byte aligned; a misaligned
 * sp faults on the first sp-relative access). Call loader_main(sp) on the
 * same stack, ARCH_FRAME_GAP bytes further down, as on x86_64. loader_main
 * returns struct entry {pc, sp} in x0 and x1 (AAPCS64: a 16-byte composite).
 * Then enter with sp = the new vector (16-byte aligned), x0 = 0 (no atexit
 * function for the program's _start), x29 = x30 = 0 (the end of the frame
 * chain), through x16 (the register a BTI "j" landing pad accepts).
 */
#define ARCH_FRAME_GAP 1024
/* One instruction a line, as in an assembly file. */
/* clang-format off */
#define ARCH_START()                                                           \
	__asm__(".text\n"                                                      \
		".global _start\n"                                             \
		".type _start,%function\n"                                     \
		"_start:\n"                                                    \
		"	mov x29, #0\n"                                         \
		"	mov x30, #0\n"                                         \
		"	mov x0, sp\n"                                          \
		"	sub sp, sp, #" STRINGIFY(ARCH_FRAME_GAP) "\n"                     \
		"	bl loader_main\n"                                      \
		"	mov sp, x1\n"                                          \
		"	mov x16, x0\n"                                         \
		"	mov x0, #0\n"                                          \
		"	mov x29, #0\n"                                         \
		"	mov x30, #0\n"                                         \
		"	br x16\n"                                              \
		".size _start,.-_start\n")
/* clang-format on */

#endif

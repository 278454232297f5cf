/*
 * x86_64: everything the loader knows about this architecture. Another
 * architecture is one more file beside this one (arch/aarch64.h), chosen in
 * sys.h.
 *
 * Stage: used by every stage; no globals, no libc.
 */
#ifndef BINFMT_LOADER_ARCH_H
#define BINFMT_LOADER_ARCH_H

#define ARCH_ELF_MACHINE 62 /* EM_X86_64 */
#define ARCH_NAME "x86_64"
/* Debian's multiarch directory, for the --root library-path fallback. */
#define ARCH_MULTIARCH "x86_64-linux-gnu"

#define SYS_read 0
#define SYS_write 1
#define SYS_close 3
#define SYS_fstat 5
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_pread64 17
#define SYS_mremap 25
#define SYS_readlinkat 267
#define SYS_newfstatat 262
#define SYS_exit_group 231
#define SYS_openat 257
#define SYS_prctl 157
#define SYS_openat2 437
#define SYS_getcwd 79

/* Highest user address with 4-level paging (TASK_SIZE_MAX, arch/x86/include/asm/page_64.h):
 * a segment that ends above it cannot be mapped. */
#define ARCH_MAX_ADDR (1UL << 47)

/* struct stat as the x86_64 kernel writes it (arch/x86/include/uapi/asm/stat.h). */
struct kstat {
	unsigned long st_dev, st_ino, st_nlink;
	unsigned int st_mode, st_uid, st_gid, pad0;
	unsigned long st_rdev;
	long st_size, st_blksize, st_blocks;
	unsigned long st_atime_, st_atime_ns, st_mtime_, st_mtime_ns, st_ctime_, st_ctime_ns;
	long unused[3];
};

/* One function per argument count, as musl's __syscallN: no register is
 * loaded that the call does not take. */
static inline long arch_syscall1(long n, long a)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a) : "rcx", "r11", "memory");
	return ret;
}
static inline long arch_syscall2(long n, long a, long b)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return ret;
}
static inline long arch_syscall3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}
static inline long arch_syscall4(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}
static inline long arch_syscall5(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
static inline long arch_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * _start: the kernel enters with %rsp at argc (16-byte aligned). Call
 * loader_main(sp) on the same stack, ARCH_FRAME_GAP bytes further down, so
 * that the kernel's vector (which the loader rewrites, growing it by at most
 * VEC_MAX_GROWTH bytes, stack.h) never overlaps a live frame: rebuilt in place
 * on the same frames, a longer vector overwrote loader_main's own return
 * address. Staying close to the vector keeps the frames on pages the kernel
 * already touched: each new page is a fault on every exec. loader_main
 * returns the entry point in %rax and the new stack pointer in %rdx. Then
 * enter with the registers the ABI wants: %rsp = the new vector (16-byte
 * aligned), %rdx = 0 (no atexit function), %rbp = 0, DF clear.
 */
#define ARCH_FRAME_GAP 1024
/* One instruction a line, as in an assembly file. */
/* clang-format off */
#define ARCH_START()                                                           \
	__asm__(".text\n"                                                      \
		".global _start\n"                                             \
		".type _start,@function\n"                                     \
		"_start:\n"                                                    \
		"	xor %ebp,%ebp\n"                                       \
		"	mov %rsp,%rdi\n"                                       \
		"	sub $" STRINGIFY(ARCH_FRAME_GAP) ",%rsp\n"                      \
		"	call loader_main\n"                                    \
		"	mov %rdx,%rsp\n"                                       \
		"	xor %edx,%edx\n"                                       \
		"	xor %ebp,%ebp\n"                                       \
		"	cld\n"                                                 \
		"	jmp *%rax\n"                                           \
		".size _start,.-_start\n")
/* clang-format on */

#endif

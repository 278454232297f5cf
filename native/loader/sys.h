/*
 * Raw system calls. Each returns the kernel's result: a value, or -errno
 * (-4095..-1). No errno, no libc, no globals.
 *
 * Stage: usable from every stage, including before self-relocation (all
 * static inline, no data).
 */
#ifndef BINFMT_LOADER_SYS_H
#define BINFMT_LOADER_SYS_H

#include <stddef.h>
#include <stdint.h>

/* A macro's value as a string, for the assembly (ARCH_FRAME_GAP). */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#if defined(__x86_64__)
#include "arch/x86_64.h"
#elif defined(__aarch64__)
#include "arch/aarch64.h"
#else
#error "binfmt-loader: no arch/<arch>.h for this architecture yet"
#endif

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_PATH 010000000
#ifndef O_DIRECTORY /* arm64 has its own (arch/aarch64.h) */
#define O_DIRECTORY 0200000
#endif
#define O_CLOEXEC 02000000
#define O_NONBLOCK 04000
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define PROT_GROWSDOWN 0x01000000
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define PR_SET_NAME 15
#define RESOLVE_IN_ROOT 0x10

/*
 * The errno values the loader uses or names in a report
 * (include/uapi/asm-generic/errno-base.h and errno.h, the same on x86_64 and
 * arm64). System calls return them negated: -ENOMEM.
 */
/* clang-format off */
#define ERRNO_LIST(X)                                                                  \
	X(EPERM, 1) X(ENOENT, 2) X(EINTR, 4) X(EIO, 5) X(ENOEXEC, 8) X(EBADF, 9)       \
	X(ENOMEM, 12) X(EACCES, 13) X(EEXIST, 17) X(EXDEV, 18) X(ENOTDIR, 20)         \
	X(EISDIR, 21) X(EINVAL, 22) X(ETXTBSY, 26) X(ESPIPE, 29) X(ERANGE, 34)        \
	X(ENAMETOOLONG, 36) X(ENOSYS, 38) X(ELOOP, 40)
/* clang-format on */
#define ERRNO_ENUM(name, value) name = value,
enum errno_value { ERRNO_LIST(ERRNO_ENUM) };

/* struct open_how (linux/openat2.h). */
struct open_how {
	uint64_t flags, mode, resolve;
};

static inline int sys_is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

static inline long sys_openat(int dirfd, const char *path, int flags)
{
	return arch_syscall3(SYS_openat, dirfd, (long)path, flags);
}
static inline long sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return arch_syscall4(SYS_openat2, dirfd, (long)path, (long)how, sizeof *how);
}
static inline long sys_close(int fd)
{
	return arch_syscall1(SYS_close, fd);
}
static inline long sys_pread(int fd, void *buf, size_t n, long off)
{
	return arch_syscall4(SYS_pread64, fd, (long)buf, (long)n, off);
}
static inline long sys_write(int fd, const void *buf, size_t n)
{
	return arch_syscall3(SYS_write, fd, (long)buf, (long)n);
}
static inline long sys_fstat(int fd, struct kstat *st)
{
	return arch_syscall2(SYS_fstat, fd, (long)st);
}
static inline long sys_fstatat(int dirfd, const char *path, struct kstat *st, int flags)
{
	return arch_syscall4(SYS_newfstatat, dirfd, (long)path, (long)st, flags);
}
static inline long sys_readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	return arch_syscall4(SYS_readlinkat, dirfd, (long)path, (long)buf, (long)n);
}
static inline long sys_getcwd(char *buf, size_t n)
{
	return arch_syscall2(SYS_getcwd, (long)buf, (long)n);
}
static inline long sys_mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, long off)
{
	return arch_syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}
static inline long sys_mremap(uintptr_t old, size_t oldlen, size_t newlen, int flags, uintptr_t addr)
{
	return arch_syscall5(SYS_mremap, (long)old, (long)oldlen, (long)newlen, flags, (long)addr);
}
static inline long sys_munmap(uintptr_t addr, size_t len)
{
	return arch_syscall2(SYS_munmap, (long)addr, (long)len);
}
static inline long sys_mprotect(uintptr_t addr, size_t len, int prot)
{
	return arch_syscall3(SYS_mprotect, (long)addr, (long)len, prot);
}
static inline long sys_prctl(int op, long a)
{
	return arch_syscall2(SYS_prctl, op, a);
}
static inline _Noreturn void sys_exit_group(int code)
{
	for (;;) arch_syscall1(SYS_exit_group, code);
}

#endif

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
#define EINTR 4
#define ENOENT 2
#define EEXIST 17

/* struct open_how (linux/openat2.h). */
struct open_how {
	uint64_t flags, mode, resolve;
};

static inline int sys_is_err(long r) { return (unsigned long)r > -4096UL; }

static inline long sys_openat(int dirfd, const char *path, int flags)
{
	return arch_syscall6(SYS_openat, dirfd, (long)path, flags, 0, 0, 0);
}
static inline long sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return arch_syscall6(SYS_openat2, dirfd, (long)path, (long)how, sizeof *how, 0, 0);
}
static inline long sys_close(int fd) { return arch_syscall6(SYS_close, fd, 0, 0, 0, 0, 0); }
static inline long sys_pread(int fd, void *buf, size_t n, long off)
{
	return arch_syscall6(SYS_pread64, fd, (long)buf, (long)n, off, 0, 0);
}
static inline long sys_write(int fd, const void *buf, size_t n)
{
	return arch_syscall6(SYS_write, fd, (long)buf, (long)n, 0, 0, 0);
}
static inline long sys_fstat(int fd, struct kstat *st)
{
	return arch_syscall6(SYS_fstat, fd, (long)st, 0, 0, 0, 0);
}
static inline long sys_fstatat(int dirfd, const char *path, struct kstat *st, int flags)
{
	return arch_syscall6(SYS_newfstatat, dirfd, (long)path, (long)st, flags, 0, 0);
}
static inline long sys_readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	return arch_syscall6(SYS_readlinkat, dirfd, (long)path, (long)buf, (long)n, 0, 0);
}
static inline long sys_mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, long off)
{
	return arch_syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}
static inline long sys_mremap(uintptr_t old, size_t oldlen, size_t newlen, int flags, uintptr_t addr)
{
	return arch_syscall6(SYS_mremap, (long)old, (long)oldlen, (long)newlen, flags, (long)addr, 0);
}
static inline long sys_munmap(uintptr_t addr, size_t len) { return arch_syscall6(SYS_munmap, (long)addr, (long)len, 0, 0, 0, 0); }
static inline long sys_mprotect(uintptr_t addr, size_t len, int prot)
{
	return arch_syscall6(SYS_mprotect, (long)addr, (long)len, prot, 0, 0, 0);
}
static inline long sys_prctl(int op, long a) { return arch_syscall6(SYS_prctl, op, a, 0, 0, 0, 0); }
static inline _Noreturn void sys_exit_group(int code)
{
	for (;;) arch_syscall6(SYS_exit_group, code, 0, 0, 0, 0, 0);
}

#endif

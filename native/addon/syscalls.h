// One short function per syscall Node lacks: check args, call, return the
// result or -errno. No Node types here; module.cc does the conversions.
#pragma once
#include <cstdint>

int sys_clear_cloexec(int fd);
// Both replace the process on success and return -errno otherwise. Before the
// call they restore the stdio and signal state a fresh process expects
// (see syscalls.cc).
int sys_execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags);
int sys_fexecve(int fd, char* const argv[], char* const envp[]);
int sys_chroot(const char* path);
int sys_mount(const char* source, const char* target, const char* fstype, unsigned long flags, const char* data);
int sys_umount2(const char* target, int flags);
// openat2(2) with struct open_how; returns the new fd or -errno.
int sys_openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve);
// flock(2): an advisory lock on the open file description, gone when its last fd is closed.
int sys_flock(int fd, int op);

// One short function per syscall Node lacks: call it, return the result or
// -errno. No Node types here: module.cc checks the arguments and converts
// them, and turns -errno into an exception.
#pragma once
#include <cstdint>

namespace sys {

int ClearCloexec(int fd);
// Both replace the process on success and return -errno otherwise. Before the
// call they restore the stdio and signal state a fresh process expects
// (see syscalls.cc).
int Execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags);
int Fexecve(int fd, char* const argv[], char* const envp[]);
int Chroot(const char* path);
int Mount(const char* source, const char* target, const char* fstype, unsigned long flags, const char* data);
int Umount2(const char* target, int flags);
// openat2(2) with struct open_how; returns the new fd or -errno.
int Openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve);
// flock(2): an advisory lock on the open file description, gone when its last fd is closed.
int Flock(int fd, int op);

}  // namespace sys

#include "syscalls.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sys {

int ClearCloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0) return -errno;
  if (fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0) return -errno;
  return 0;
}

namespace {
// What a program exec'd from Node must not inherit from Node:
// - Node marks fds 0-2 close-on-exec and libuv makes pipes O_NONBLOCK, so the
//   new program would start without stdio or with EAGAIN writes: clear both,
//   as Node itself does for a child it spawns (and on exit, ResetStdio).
// - Node ignores SIGPIPE (and libuv SIGXFSZ); an ignored signal stays ignored
//   across execve(2), so the program would not die on a broken pipe: put them
//   back to the default and unblock everything, as a shell would.
void PrepareForExec() {
  for (int fd = 0; fd <= 2; fd++) {
    int fdflags = fcntl(fd, F_GETFD);
    if (fdflags >= 0) fcntl(fd, F_SETFD, fdflags & ~FD_CLOEXEC);
    int flflags = fcntl(fd, F_GETFL);
    if (flflags >= 0 && (flflags & O_NONBLOCK)) fcntl(fd, F_SETFL, flflags & ~O_NONBLOCK);
  }
  signal(SIGPIPE, SIG_DFL);
  signal(SIGXFSZ, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}
}  // namespace

int Execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags) {
  PrepareForExec();
  syscall(SYS_execveat, dirfd, path, argv, envp, flags);
  return -errno;
}

int Fexecve(int fd, char* const argv[], char* const envp[]) {
  PrepareForExec();
  fexecve(fd, argv, envp);
  return -errno;
}

int Chroot(const char* path) {
  if (chroot(path) < 0) return -errno;
  if (chdir("/") < 0) return -errno;
  return 0;
}

int Mount(const char* source, const char* target, const char* fstype, unsigned long flags, const char* data) {
  return mount(source, target, fstype, flags, data) < 0 ? -errno : 0;
}

int Umount2(const char* target, int flags) { return umount2(target, flags) < 0 ? -errno : 0; }

int Openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  struct open_how how = {};
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  long r = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
  return r < 0 ? -errno : static_cast<int>(r);
}

int Flock(int fd, int op) { return flock(fd, op) < 0 ? -errno : 0; }

}  // namespace sys

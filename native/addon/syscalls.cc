#include "syscalls.h"

#include <cerrno>
#include <fcntl.h>

int sys_clear_cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0) return -errno;
  if (fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0) return -errno;
  return 0;
}

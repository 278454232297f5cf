/* See file.h. */
#include "file.h"
#include "sys.h"

/* O_NONBLOCK: a FIFO named as program or ld.so must fail, not hang in open. */
int open_ro(int dirfd, const char *path)
{
	return (int)sys_openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
}

int same_file(const char *a, const char *b)
{
	struct kstat sa, sb;
	return sys_fstatat(AT_FDCWD, a, &sa, 0) == 0 && sys_fstatat(AT_FDCWD, b, &sb, 0) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Files by path: the loader's one way to open a file it reads (the program,
 * ld.so), and to tell whether two paths name the same file.
 *
 * Stage: any stage that may open files (loader.h), and stage 1 for the
 * comparison selfexec.h describes.
 */
#ifndef BINFMT_LOADER_FILE_H
#define BINFMT_LOADER_FILE_H

/* A read-only, close-on-exec fd for path (relative to dirfd), or -errno. */
int open_ro(int dirfd, const char *path);
/* 1 when a and b name the same file (st_dev and st_ino), 0 when they do not
 * or either cannot be stat'ed. */
int same_file(const char *a, const char *b);

#endif

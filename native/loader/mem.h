/*
 * The few string and memory functions the loader needs. The compiler may
 * emit calls to memcpy/memset/memmove itself, so they have those names.
 *
 * Stage: usable from any stage (no globals).
 */
#ifndef BINFMT_LOADER_MEM_H
#define BINFMT_LOADER_MEM_H

#include <stddef.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
size_t strlen(const char *s);
int streq(const char *a, const char *b);

#endif

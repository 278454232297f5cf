/* See mem.h. Plain byte loops: the loader moves at most a few KiB. "used":
 * with LTO the compiler may emit a call to one of them after it has dropped
 * the definition as unreferenced. */
#include "mem.h"

__attribute__((used)) void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	if (dp < sp) {
		while (n--) *dp++ = *sp++;
	} else {
		while (n--) dp[n] = sp[n];
	}
	return d;
}

/* memmove copies forward when the destination is below the source, so it
 * also does what memcpy does: one loop less in the image. */
__attribute__((used, alias("memmove"))) void *memcpy(void *restrict d, const void *restrict s, size_t n);

__attribute__((used)) void *memset(void *d, int c, size_t n)
{
	unsigned char *dp = d;
	while (n--) *dp++ = (unsigned char)c;
	return d;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p) p++;
	return (size_t)(p - s);
}

int streq(const char *a, const char *b)
{
	while (*a && *a == *b) a++, b++;
	return *a == *b;
}

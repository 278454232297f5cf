/*
 * The loader's sources compiled as ordinary hosted C for the fuzz targets.
 * libc provides memcpy, memmove, memset and strlen (so that ASan sees every
 * copy); hosted.c provides the rest of mem.h and report.h: die() returns to
 * the harness through hosted_jump instead of exiting, and records what it
 * reported. Everything else (stack.c, invocation.c, handover.c, ...) is the
 * loader's own code, unchanged.
 */
#ifndef BINFMT_FUZZ_HOSTED_H
#define BINFMT_FUZZ_HOSTED_H

#include <setjmp.h>

/* Set by the harness around each call into the loader: die() longjmps here
 * with 1. */
extern jmp_buf hosted_jump;
/* What the last die() reported (report.h's WHAT), or 0. */
extern int hosted_died;

#endif

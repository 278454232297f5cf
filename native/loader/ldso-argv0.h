/*
 * Does an ld.so, once mapped, take --argv0? glibc added the option in 2.33,
 * musl in 1.1.22. A copy stamped with the from-program policy cannot know at
 * stamp time: the ld.so is chosen per exec, and the native fallback may pick a
 * container's own, older one (glibc 2.31 then fails with "--argv0: cannot
 * open shared object file"). Without the option the program still runs, with
 * its path as argv[0].
 *
 * Stage 4, after ld.so is mapped; reads only its memory (no system calls).
 */
#ifndef BINFMT_LOADER_LDSO_ARGV0_H
#define BINFMT_LOADER_LDSO_ARGV0_H

#include <stdint.h>
#include "elf-check.h"

/* 1 if the ld.so mapped at bias takes --argv0, else 0. */
int ldso_takes_argv0(const struct elf_info *ld, uintptr_t bias);

#endif

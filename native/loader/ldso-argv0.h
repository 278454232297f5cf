/*
 * Does an ld.so, once mapped, take --argv0? glibc added the option in 2.33,
 * musl in 1.1.22. A copy stamped with the from-program policy cannot know at
 * stamp time: the ld.so is chosen per exec, and the native fallback may pick a
 * container's own, older one (glibc 2.31 then fails with "--argv0: cannot
 * open shared object file"). Without the option the program still runs, with
 * its path as argv[0].
 *
 * Stage 5, after ld.so is mapped and before its fd is closed: one pread of
 * its dynamic section, then its read-only memory. Not used for an embedded
 * ld.so: its bytes cannot change after `binfmt loader stamp` checked them.
 */
#ifndef BINFMT_LOADER_LDSO_ARGV0_H
#define BINFMT_LOADER_LDSO_ARGV0_H

#include <stdint.h>
#include "load.h"

/* 1 if the ld.so read from src and mapped at bias takes --argv0, else 0. */
int ldso_takes_argv0(const struct elf_source *src, const struct elf_info *ld, uintptr_t bias);

#endif

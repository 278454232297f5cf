/*
 * Did binfmt_misc keep the caller's argv[0] (the entry's P flag)? Then the
 * kernel passes [loader, path, argv0, args...], else [loader, path, args...].
 *
 * Linux 5.12 (commit 2347961b11d4) and later say so in AT_FLAGS bit 0. Older
 * kernels pass nothing, so a copy stamped for an entry with P carries
 * CONFIG_ENTRY_P (config.h), which `binfmt register` sets from the flags it
 * registers. The rule, right on every kernel for a copy stamped with its
 * entry's flags:
 *
 *   P  =  AT_FLAGS bit 0  OR  the copy is stamped CONFIG_ENTRY_P
 *
 *   kernel   entry  stamp  AT_FLAGS.0  -> P
 *   >= 5.12  P      P      1              yes
 *   >= 5.12  -      -      0              no
 *   <  5.12  P      P      0              yes (the stamp)
 *   <  5.12  -      -      0              no
 *   any      P      -      1 (>= 5.12)    yes (the kernel says so; < 5.12: wrong, stamp it)
 *   any      -      P      0              wrong: a copy stamped P must not serve an entry without P
 *
 * The kernel's bit wins when set; the stamp only adds what an old kernel
 * cannot say. Pure, so test/loader/argv-layout.test.ts compiles it as is.
 */
#ifndef BINFMT_LOADER_ARGV_LAYOUT_H
#define BINFMT_LOADER_ARGV_LAYOUT_H

#include <stdint.h>

/* AT_FLAGS bit 0: binfmt_misc was registered with P (Linux 5.12). */
#define AT_FLAGS_PRESERVE_ARGV0 1
/* config.h flags bit 2: the copy serves an entry registered with P. */
#define CONFIG_ENTRY_P 4u

static inline int binfmt_preserves_argv0(uintptr_t at_flags, uint32_t config_flags)
{
	return (at_flags & AT_FLAGS_PRESERVE_ARGV0) || (config_flags & CONFIG_ENTRY_P);
}

#endif

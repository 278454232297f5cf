/*
 * The baked configuration area: a fixed-size, versioned, magic-tagged block
 * in the loader file that `binfmt loader stamp` fills in a copy. The same
 * layout is defined once more, for the CLI, in src/loader/config-area.ts and
 * documented in docs/binfmt-loader.8.md; change all three together.
 *
 * All integers little-endian. Strings are NUL-terminated inside their field.
 *
 *   off  size  field
 *     0     8  magic "BFLDCONF"
 *     8     2  version (2)
 *    10     2  header size (64)
 *    12     4  area size (512)
 *    16     4  policy: 0 unset, 1 fixed ld.so path, 2 embedded ld.so,
 *                      3 the program's own PT_INTERP (optionally in root)
 *    20     4  flags: bit 0 --inhibit-cache, bit 1 ld.so takes --argv0,
 *                     bit 2 the entry has P (argv-layout.h)
 *    24     8  embedded ld.so: address relative to the loader's base
 *    32     8  embedded ld.so: size in bytes
 *    40     8  embedded ld.so: offset in the loader file
 *    48    16  reserved, zero
 *    64   448  three NUL-terminated strings, one after the other, zero-filled:
 *              ld_path: policy 1: the ld.so path; policy 2: argv[0] for ld.so
 *              root: policy 3: directory PT_INTERP is resolved in ("" = /)
 *              library_path: passed as --library-path ("" = none)
 *
 * Version 1 gave each string a fixed field (448, 512 and 1024 bytes); packed,
 * the area is a quarter of the size, and the loader file with it.
 */
#ifndef BINFMT_LOADER_CONFIG_H
#define BINFMT_LOADER_CONFIG_H

#include <stdint.h>

#define CONFIG_MAGIC "BFLDCONF"
#define CONFIG_VERSION 2
#define CONFIG_HEADER_SIZE 64
#define CONFIG_AREA_SIZE 512
#define CONFIG_STRINGS_SIZE (CONFIG_AREA_SIZE - CONFIG_HEADER_SIZE)

enum config_policy {
	POLICY_UNSET = 0,
	POLICY_FIXED = 1,
	POLICY_EMBEDDED = 2,
	POLICY_FROM_PROGRAM = 3,
};

#define CONFIG_INHIBIT_CACHE 1u
#define CONFIG_ARGV0 2u
/* CONFIG_ENTRY_P (4u) is defined with the rule that reads it, argv-layout.h. */

struct config_area {
	char magic[8];
	uint16_t version, header_size;
	uint32_t area_size;
	uint32_t policy, flags;
	uint64_t embed_vaddr, embed_size, embed_offset;
	uint8_t reserved[16];
	char strings[CONFIG_STRINGS_SIZE];
};

enum config_string { CONFIG_LD_PATH, CONFIG_ROOT, CONFIG_LIBRARY_PATH };

/* The n-th string. The stamper NUL-terminates all three inside the area. */
static inline const char *config_string(const struct config_area *c, enum config_string n)
{
	const char *s = c->strings;
	for (; n; n--)
		while (*s++) {}
	return s;
}

_Static_assert(sizeof(struct config_area) == CONFIG_AREA_SIZE, "config area layout");
_Static_assert(__builtin_offsetof(struct config_area, strings) == CONFIG_HEADER_SIZE, "config header size");

#endif

/*
 * The baked configuration area: a versioned, magic-tagged block at the very
 * end of the loader's one PT_LOAD, which `binfmt loader stamp` fills in a
 * copy. The built loader carries only the 64-byte header; a stamped copy
 * carries its strings right after it, appended to the file and to that
 * PT_LOAD (its p_filesz and p_memsz grow by as much), so that a copy is only
 * as long as its own paths. The same
 * layout is defined once more, for the CLI, in src/loader/config-area.ts and
 * documented in docs/binfmt-loader.8.md; change all three together.
 *
 * All integers little-endian. Strings are NUL-terminated inside their field.
 *
 *   off  size  field
 *     0     8  magic "BFLDCONF"
 *     8     2  version (3)
 *    10     2  header size (64)
 *    12     4  area size: 64 in the built loader (no strings); in a stamped
 *              copy 64 + the strings, rounded up to 8 bytes
 *    16     4  policy: 0 unset, 1 fixed ld.so path, 2 embedded ld.so,
 *                      3 the program's own PT_INTERP (optionally in root)
 *    20     4  flags: bit 0 --inhibit-cache, bit 1 ld.so takes --argv0,
 *                     bit 2 the entry has P (argv-layout.h)
 *    24     8  embedded ld.so: address relative to the loader's base
 *    32     8  embedded ld.so: size in bytes
 *    40     8  embedded ld.so: offset in the loader file
 *    48    16  reserved, zero
 *    64     -  three NUL-terminated strings, one after the other, zero-padded:
 *              ld_path: policy 1: the ld.so path; policy 2: argv[0] for ld.so
 *              root: policy 3: directory PT_INTERP is resolved in ("" = /)
 *              library_path: passed as --library-path ("" = none)
 *
 * Version 1 gave each string a fixed field (448, 512 and 1024 bytes),
 * version 2 a packed 448-byte field; version 3 ships no string room at all
 * (448 bytes less in every loader file) and has no limit but the stamper's.
 */
#ifndef BINFMT_LOADER_CONFIG_H
#define BINFMT_LOADER_CONFIG_H

#include <stdint.h>

#define CONFIG_MAGIC "BFLDCONF"
#define CONFIG_VERSION 3
#define CONFIG_HEADER_SIZE 64

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
	char strings[]; /* area_size - CONFIG_HEADER_SIZE bytes, none in the built loader */
};

enum config_string { CONFIG_LD_PATH, CONFIG_ROOT, CONFIG_LIBRARY_PATH };

/* The n-th string; "" for all three in the built loader, which has no string
 * bytes to read (the file, and so its mapping, ends with the header). The
 * stamper NUL-terminates all three inside the area. */
static inline const char *config_string(const struct config_area *c, enum config_string n)
{
	const char *s = c->strings;
	if (c->area_size <= CONFIG_HEADER_SIZE) return "";
	for (; n; n--)
		while (*s++) {}
	return s;
}

_Static_assert(sizeof(struct config_area) == CONFIG_HEADER_SIZE, "config header layout");
_Static_assert(__builtin_offsetof(struct config_area, strings) == CONFIG_HEADER_SIZE, "config header size");

#endif

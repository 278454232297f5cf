/*
 * Self-relocation of the static-PIE loader.
 *
 * Stage 0: runs first, before any pointer-valued global is read. May only use
 * PC-relative addresses and locals; may not call anything that reads
 * globals. Only R_*_RELATIVE (plus DT_RELR) are supported: the build checks
 * there are no others.
 */
#ifndef BINFMT_LOADER_RELOC_H
#define BINFMT_LOADER_RELOC_H

#include <stdint.h>

/* The loader's own load address (its ELF header). */
uintptr_t reloc_base(void);
/* Applies the RELATIVE relocations; returns 0, or -1 on an unsupported one. */
int reloc_self(void);

#endif

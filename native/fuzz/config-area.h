/*
 * The loader's baked configuration (native/loader/config.h) for the fuzz
 * harnesses: the built loader's (policy unset, no strings) or a stamped
 * copy's, from one byte of input.
 */
#ifndef BINFMT_FUZZ_CONFIG_AREA_H
#define BINFMT_FUZZ_CONFIG_AREA_H

#include <stdint.h>
#include "../loader/config.h"

/* Bits 0-1 the policy, bits 2-4 the flags (--inhibit-cache, --argv0, P),
 * bit 5 strings (an ld.so path, no root, a library path). free() it. */
struct config_area *config_area_make(uint8_t c);

#endif

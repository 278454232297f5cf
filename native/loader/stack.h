/*
 * The kernel's initial stack: [argc][argv...][NULL][envp...][NULL][auxv...]
 * [AT_NULL]. The loader edits it in place: it keeps every auxv entry it does
 * not own and every environment string, and only rewrites argv and the
 * entries that describe what runs.
 *
 * Stage: parsed by stage 1, rewritten by stage 4 only. The loader runs
 * ARCH_FRAME_GAP bytes below the kernel's sp, so the vector may grow down by
 * up to VEC_MAX_GROWTH bytes without touching a live frame.
 */
#ifndef BINFMT_LOADER_STACK_H
#define BINFMT_LOADER_STACK_H

#include <stdint.h>
#include "sys.h"

#define AT_NULL 0
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_SECURE 23
#define AT_EXECFN 31

struct vec {
	uintptr_t *sp; /* argc */
	long argc;
	char **argv;
	char **envp;
	uintptr_t *auxv; /* pairs, up to and including AT_NULL */
	uintptr_t *end;  /* one past the AT_NULL pair */
};

void vec_parse(uintptr_t *sp, struct vec *v);
/* The auxv entry of this type, or 0 if absent. */
uintptr_t *vec_aux(const struct vec *v, uintptr_t type);
/* Sets an existing entry; entries that are absent stay absent. */
void vec_set(const struct vec *v, uintptr_t type, uintptr_t value);
/* The value of the first environment entry NAME=..., or 0; name is a list
 * of one name as for vec_drop_env ("NAME\0"). */
const char *vec_getenv(const struct vec *v, const char *name);

/*
 * An environment entry to set: name=value, the value being dir "/" file when
 * dir is given, else file. Stored just below the old end of the vector when
 * it fits in VEC_MAX_ENV bytes, else in mem (at least env_set_size bytes).
 * name is a list as for vec_drop_env ("NAME\0").
 */
struct env_set {
	const char *name, *dir, *file;
	char *mem;
};
/* Bytes that "name=dir/file" takes with its NUL. */
size_t env_set_size(const struct env_set *e);

/*
 * argv becomes prefix[0..k) followed by argv[skip..argc); with e, the
 * environment entry e->name is replaced or added. The block from argv[skip]
 * to the end of the auxv moves as one piece so that the new sp is 16-byte
 * aligned; nothing above the old end is touched. Updates *v.
 */
void vec_rebuild(struct vec *v, char *const *prefix, long k, long skip, const struct env_set *e);

/*
 * Removes every environment entry NAME=... whose NAME is in names (a list of
 * NUL-terminated names ending with an empty one), moving the auxv to follow
 * the shortened environment. Updates *v.
 */
void vec_drop_env(struct vec *v, const char *names);

/* At most this many words replace argv[0..skip) (skip >= 1), one more word
 * may join envp, and an entry of at most VEC_MAX_ENV bytes may be stored
 * below the old end; so the vector starts at most VEC_MAX_GROWTH bytes lower
 * (8 of them for alignment). */
#define VEC_MAX_PREFIX 10
#define VEC_MAX_ENV 512
#define VEC_MAX_GROWTH ((VEC_MAX_PREFIX + 2) * 8 + 8 + VEC_MAX_ENV)
_Static_assert(VEC_MAX_GROWTH < ARCH_FRAME_GAP, "the vector may grow into the loader's frames");

#endif

/* See stack.h. */
#include "stack.h"
#include "mem.h"

void vec_parse(uintptr_t *sp, struct vec *v)
{
	v->sp = sp;
	v->argc = (long)sp[0];
	v->argv = (char **)(sp + 1);
	v->envp = v->argv + v->argc + 1;
	char **e = v->envp;
	while (*e) e++;
	v->auxv = (uintptr_t *)(e + 1);
	uintptr_t *a = v->auxv;
	while (a[0] != AT_NULL) a += 2;
	v->end = a + 2;
}

uintptr_t *vec_aux(const struct vec *v, uintptr_t type)
{
	for (uintptr_t *a = v->auxv; a[0] != AT_NULL; a += 2)
		if (a[0] == type) return a;
	return 0;
}

void vec_set(const struct vec *v, uintptr_t type, uintptr_t value)
{
	uintptr_t *a = vec_aux(v, type);
	if (a) a[1] = value;
}

void vec_rebuild(struct vec *v, char *const *prefix, long k, long skip)
{
	uintptr_t *block = (uintptr_t *)(v->argv + skip);
	long words = v->end - block;
	uintptr_t *sp = (uintptr_t *)((uintptr_t)(v->end - words - 1 - k) & ~(uintptr_t)15);
	memmove(sp + 1 + k, block, (size_t)words * sizeof *sp);
	sp[0] = (uintptr_t)(k + v->argc - skip);
	for (long i = 0; i < k; i++) sp[1 + i] = (uintptr_t)prefix[i];
	vec_parse(sp, v);
}

static int named(const char *entry, const char *names)
{
	for (const char *n = names; *n; n += strlen(n) + 1) {
		size_t len = strlen(n);
		const char *e = entry;
		size_t i = 0;
		while (i < len && e[i] == n[i]) i++;
		if (i == len && e[i] == '=') return 1;
	}
	return 0;
}

void vec_drop_env(struct vec *v, const char *names)
{
	char **out = v->envp;
	for (char **e = v->envp; *e; e++)
		if (!named(*e, names)) *out++ = *e;
	*out = 0;
	uintptr_t *auxv = (uintptr_t *)(out + 1);
	if (auxv == v->auxv) return;
	memmove(auxv, v->auxv, (size_t)(v->end - v->auxv) * sizeof *auxv);
	v->end -= v->auxv - auxv;
	v->auxv = auxv;
}

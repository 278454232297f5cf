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

/* The length of NAME if entry is "NAME=..." for one of names, else 0. */
static size_t named(const char *entry, const char *names)
{
	for (const char *n = names; *n; n += strlen(n) + 1) {
		size_t i = 0;
		while (n[i] && entry[i] == n[i]) i++;
		if (!n[i] && entry[i] == '=') return i;
	}
	return 0;
}

static char **env_entry(const struct vec *v, const char *name)
{
	for (char **e = v->envp; *e; e++)
		if (named(*e, name)) return e;
	return 0;
}

const char *vec_getenv(const struct vec *v, const char *name)
{
	char **e = env_entry(v, name);
	return e ? *e + strlen(name) + 1 : 0;
}

size_t env_set_size(const struct env_set *e)
{
	return strlen(e->name) + 1 + (e->dir ? strlen(e->dir) + 1 : 0) + strlen(e->file) + 1;
}

static char *put(char *d, const char *s, char end)
{
	size_t n = strlen(s);
	memcpy(d, s, n);
	d[n] = end;
	return d + n + 1;
}

void vec_rebuild(struct vec *v, char *const *prefix, long k, long skip, const struct env_set *e)
{
	char **old = e ? env_entry(v, e->name) : 0;
	size_t size = e ? env_set_size(e) : 0;
	char *str = size > VEC_MAX_ENV ? e->mem : 0;
	uintptr_t *end = str ? v->end : (uintptr_t *)((uintptr_t)v->end - ((size + 7) & ~(size_t)7));
	long grow = e && !old;
	uintptr_t *block = (uintptr_t *)(v->argv + skip);
	long args = (uintptr_t *)v->envp - block;                    /* argv[skip..argc] with its NULL */
	long envs = (uintptr_t *)v->auxv - (uintptr_t *)v->envp - 1; /* entries, without the NULL */
	long auxs = v->end - v->auxv;
	uintptr_t *sp = (uintptr_t *)((uintptr_t)(end - (1 + k + args + envs + grow + 1 + auxs)) & ~(uintptr_t)15);
	uintptr_t *envp = sp + 1 + k + args;
	/* Each piece moves down (never up), in this order, so no source is
	 * overwritten before it is copied. */
	memmove(sp + 1 + k, block, (size_t)args * sizeof *sp);
	memmove(envp, v->envp, (size_t)envs * sizeof *sp);
	memmove(envp + envs + grow + 1, v->auxv, (size_t)auxs * sizeof *sp);
	envp[envs + grow] = 0;
	sp[0] = (uintptr_t)(k + v->argc - skip);
	for (long i = 0; i < k; i++) sp[1 + i] = (uintptr_t)prefix[i];
	if (e) {
		if (!str) str = (char *)end;
		char *d = put(str, e->name, '=');
		if (e->dir) d = put(d, e->dir, '/');
		put(d, e->file, 0);
		envp[old ? old - v->envp : envs] = (uintptr_t)str;
	}
	vec_parse(sp, v);
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

/* See hosted.h. */
#include "hosted.h"
#include "../loader/mem.h"
#include "../loader/report.h"

jmp_buf hosted_jump;
int hosted_died;

int streq(const char *a, const char *b)
{
	while (*a && *a == *b) a++, b++;
	return *a == *b;
}

_Noreturn void die(const char *prog, const char *kind, const char *name, int what, long err)
{
	(void)prog, (void)kind, (void)name, (void)err;
	hosted_died = what;
	longjmp(hosted_jump, 1);
}

_Noreturn void die_prog(const char *prog, int what, long err)
{
	die(prog, 0, 0, what, err);
}

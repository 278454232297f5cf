/* See report.h. */
#include "report.h"
#include "sys.h"

static const char *errname(long err)
{
#define ERRNO_CASE(name, value) case name: return #name;
	switch (-err) { ERRNO_LIST(ERRNO_CASE) }
	return "error";
}

static size_t put(char *buf, size_t at, size_t cap, const char *s)
{
	while (s && *s && at < cap) buf[at++] = *s++;
	return at;
}

/*
 * One line on stderr naming the program and the cause, then exit 127:
 * "binfmt-loader: PROGRAM: [KIND NAME: ]WHAT[: ERRNO]".
 */
_Noreturn void die(const char *prog, const char *kind, const char *name, const char *what, long err)
{
	char line[1024];
	size_t cap = sizeof line - 1, n = put(line, 0, cap, "binfmt-loader: ");
	n = put(line, n, cap, prog ? prog : "(no program)");
	n = put(line, n, cap, ": ");
	if (kind) n = put(line, put(line, put(line, put(line, n, cap, kind), cap, " "), cap, name), cap, ": ");
	n = put(line, n, cap, what);
	if (err) n = put(line, put(line, n, cap, ": "), cap, errname(err));
	line[n++] = '\n';
	sys_write(2, line, n);
	sys_exit_group(EXIT_FAIL);
}

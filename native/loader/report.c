/* See report.h. */
#include "report.h"
#include "mem.h"
#include "sys.h"

/* The errno values sys.h names, and their names in the same order; aligned(1):
 * no padding before them in the image (elf-check.c). */
#define ERRNO_VALUE(name, value) value,
#define ERRNO_NAME(name, value) #name "\0"
static const unsigned char errnums[] __attribute__((aligned(1))) = {ERRNO_LIST(ERRNO_VALUE)};
static const char errnames[] __attribute__((aligned(1))) = ERRNO_LIST(ERRNO_NAME);

/* The text of every WHAT from 1 on: the ELF verdicts, then the loader's own. */
#define REPORT_TEXT(name, text) text "\0"
static const char whats[] __attribute__((aligned(1))) = ELF_ERR_LIST(REPORT_TEXT) REPORT_LIST(REPORT_TEXT);

/* The n-th string of a list of NUL-terminated strings. */
static const char *nth(const char *p, unsigned n)
{
	for (; n; n--) p += strlen(p) + 1;
	return p;
}

static const char *errname(long err)
{
	for (unsigned i = 0; i < sizeof errnums; i++)
		if (errnums[i] == -err) return nth(errnames, i);
	return "error";
}

static char *put(char *at, char *end, const char *s)
{
	while (s && *s && at < end) *at++ = *s++;
	return at;
}

/*
 * One line on stderr naming the program and the cause, then exit 127:
 * "binfmt-loader: PROGRAM: [KIND NAME: ]WHAT[: ERRNO]".
 */
_Noreturn void die(const char *prog, const char *kind, const char *name, int what, long err)
{
	char line[1024], *end = line + sizeof line - 1;
	const char *parts[] = {"binfmt-loader: ",
			       prog ? prog : "(no program)",
			       ": ",
			       kind,
			       kind ? " " : 0,
			       name,
			       kind ? ": " : 0,
			       nth(whats, (unsigned)what - 1),
			       err ? ": " : 0,
			       err ? errname(err) : 0};
	char *n = line;
	for (unsigned i = 0; i < sizeof parts / sizeof *parts; i++) n = put(n, end, parts[i]);
	*n++ = '\n';
	sys_write(2, line, (size_t)(n - line));
	sys_exit_group(EXIT_FAIL);
}

_Noreturn void die_prog(const char *prog, int what, long err)
{
	die(prog, 0, 0, what, err);
}

/*
 * Failure reports: one line on stderr naming the program and the cause,
 * "binfmt-loader: PROGRAM: [KIND NAME: ]WHAT[: ERRNO]", then exit 127 (what
 * a shell reports for a command it could not run; Plash's tests expect it).
 *
 * Stage: usable from every stage; no globals.
 */
#ifndef BINFMT_LOADER_REPORT_H
#define BINFMT_LOADER_REPORT_H

#include "elf-check.h"

#define EXIT_FAIL 127

/*
 * WHAT, by number: an ELF verdict (enum elf_err, elf-check.h), or one of
 * these, which continue its list. A number is a smaller argument than a
 * pointer at each of the loader's forty-odd failure sites.
 */
#define REPORT_LIST(X)                                                       \
	X(R_CANNOT_OPEN, "cannot open")                                      \
	X(R_CANNOT_STAT, "cannot stat")                                      \
	X(R_CANNOT_READ, "cannot read")                                      \
	X(R_NOT_REGULAR, "not a regular file")                               \
	X(R_NO_MEMORY, "no memory")                                          \
	X(R_NO_MEMORY_PHDRS, "no memory for program headers")                \
	X(R_NO_MEMORY_INTERP, "no memory for PT_INTERP")                     \
	X(R_NO_ROOM, "no room to map")                                       \
	X(R_NO_ROOM_FIXED, "no room at its fixed address")                   \
	X(R_CANNOT_MAP, "cannot map segment")                                \
	X(R_CANNOT_PROTECT, "cannot protect segment")                        \
	X(R_CANNOT_PROTECT_HOLE, "cannot protect a hole")                    \
	X(R_CANNOT_MAP_BSS, "cannot map bss")                                \
	X(R_PHDRS_NOT_LOADED, "program headers are not in a loaded segment") \
	X(R_EXEC_STACK, "cannot make the stack executable")                  \
	X(R_NO_LDSO, "no PT_INTERP and no ld.so configured")                 \
	X(R_NO_EMBEDDED, "loader copy has no embedded ld.so")                \
	X(R_NOT_LDSO, "not an ld.so (not ET_DYN, or has PT_INTERP)")         \
	X(R_PATH_TOO_LONG, "path too long")                                  \
	X(R_PROGRAM_PATH_TOO_LONG, "program path too long")                  \
	X(R_BAD_PAGESZ, "bad AT_PAGESZ")                                     \
	X(R_NO_PATH, "binfmt_misc gave no program path")                     \
	X(R_NO_ARGV0, "binfmt_misc P flag but no argv[0]")                   \
	X(R_SECURE_COMMAND, "command mode refused: AT_SECURE is set")        \
	X(R_NOT_FD, "not a file descriptor")                                 \
	X(R_MISSING_VALUE, "missing value for option")                       \
	X(R_UNKNOWN_OPTION, "unknown option")                                \
	X(R_NO_PROGRAM, "no program given")

#define REPORT_ENUM(name, text) name,
enum report { R_FIRST_ = ELF_NERR - 1, REPORT_LIST(REPORT_ENUM) };

_Noreturn void die(const char *prog, const char *kind, const char *name, int what, long err);
/* die() without KIND NAME, the most common report: two arguments fewer at
 * each of its sites. */
_Noreturn void die_prog(const char *prog, int what, long err);

#endif

/*
 * Failure reports: one line on stderr naming the program and the cause,
 * "binfmt-loader: PROGRAM: [KIND NAME: ]WHAT[: ERRNO]", then exit 127 (what
 * a shell reports for a command it could not run; Plash's tests expect it).
 *
 * Stage: usable from every stage; no globals.
 */
#ifndef BINFMT_LOADER_REPORT_H
#define BINFMT_LOADER_REPORT_H

#define EXIT_FAIL 127

_Noreturn void die(const char *prog, const char *kind, const char *name, const char *what, long err);

#endif

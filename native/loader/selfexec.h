/*
 * Self re-execution. A program run through the loader has the loader as
 * /proc/self/exe, so a program that executes itself again (node's
 * process.execPath and child_process.fork, Go's os.Executable, a C program's
 * execv("/proc/self/exe")) executes the loader directly, with its own new
 * arguments and no program path.
 *
 * So before it enters a program, the loader sets BINFMT_LOADER_EXE=PATH in
 * the program's environment (PATH made absolute against the cwd). A direct
 * exec of the loader that finds that variable runs PATH again with the argv
 * it was given (argv[0] included), as the same copy would have run it:
 *
 *   - when AT_EXECFN and /proc/self/exe are the same file, that is when the
 *     loader itself was executed, not a program through it (two fstatat,
 *     only when neither AT_EXECFD, nor AT_FLAGS P, nor AT_EXECFN == argv[1]
 *     already says binfmt_misc);
 *   - and, for the command-mode (unstamped) loader, argv[1] is not an option:
 *     a real command starts with one, or with "--".
 *
 * Never with AT_SECURE: a value from the environment must not choose what a
 * privileged exec runs. An inherited, stale value is replaced for every
 * program the loader starts; it is read only on a direct exec of a loader.
 */
#ifndef BINFMT_LOADER_SELFEXEC_H
#define BINFMT_LOADER_SELFEXEC_H

#include "scratch.h"
#include "stack.h"

/* As a list for stack.h ("NAME\0"). */
#define SELFEXEC_ENV "BINFMT_LOADER_EXE\0"

/* Stage 1: the program to run again, or 0. */
const char *selfexec_program(const struct vec *v, const char *execfn, int stamped);

/*
 * Stage 4: the entry that names path for the program's own re-executions.
 * A relative path is joined to the cwd, read into cwd[0..cwd_size) (the
 * caller's stack), or into the scratch area when longer. Returns 0 and fills
 * *e, or -1 when it cannot be named (no cwd, or no memory for a long one):
 * then any inherited entry must go.
 */
int selfexec_entry(struct env_set *e, const char *path, struct scratch *sc, char *cwd, size_t cwd_size);

/* The caller's cwd buffer: most cwds fit, without a scratch mapping. */
#define SELFEXEC_CWD_STACK 256

#endif

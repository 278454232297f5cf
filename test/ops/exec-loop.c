/* Execs PATH over and over until STOPFILE exists, then prints
 * "<execs> <failures>": a failure is an execve that failed (e.g. ENOEXEC
 * because no binfmt_misc entry matched at that instant) or a non-zero exit.
 * execve directly: execvp would retry a non-native file with /bin/sh. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc != 3) {
		fprintf(stderr, "usage: exec-loop PATH STOPFILE\n");
		return 2;
	}
	char *args[] = {argv[1], NULL};
	char *env[] = {NULL};
	long execs = 0, failures = 0;
	while (access(argv[2], F_OK) != 0) {
		pid_t pid = fork();
		if (pid < 0) return 3;
		if (pid == 0) {
			execve(argv[1], args, env);
			_exit(127);
		}
		int st;
		if (waitpid(pid, &st, 0) < 0) return 4;
		execs++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) failures++;
	}
	printf("%ld %ld\n", execs, failures);
	return 0;
}

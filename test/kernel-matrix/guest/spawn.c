/*
 * spawn ARGV0 PATH ARGS...: runs PATH with the given argv[0] (the guest has no
 * bash for `exec -a`) and prints how it ended: "exit N", "signal N" or
 * "errno N" when execve itself failed.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *path = argv[2];
		argv[2] = argv[1];
		execv(path, argv + 2);
		printf("errno %d\n", errno);
		fflush(stdout);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 3;
	if (WIFEXITED(st))
		printf("exit %d\n", WEXITSTATUS(st));
	else
		printf("signal %d\n", WTERMSIG(st));
	return 0;
}

/*
 * Spawn-and-wait latency, interleaved: each round runs every variant once
 * (posix_spawn + waitpid), in turn, after warm-up rounds. Prints one JSON
 * object: per variant the median, mean and minimum in microseconds.
 *   loader-timer ROUNDS WARMUP NAME ARGV... [:: NAME ARGV...]...
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;
#define MAX_VARIANTS 8

struct variant {
	const char *name;
	char **argv;
	double *us;
};

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static double spawn_wait(char **argv)
{
	pid_t pid;
	int status;
	double t0 = now_us();
	if (posix_spawn(&pid, argv[0], 0, 0, argv, environ)) perror(argv[0]), exit(1);
	waitpid(pid, &status, 0);
	double t = now_us() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) fprintf(stderr, "%s: status %d\n", argv[0], status), exit(1);
	return t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 5) return fprintf(stderr, "usage: loader-timer ROUNDS WARMUP NAME ARGV... [:: NAME ARGV...]\n"), 2;
	int rounds = atoi(argv[1]), warm = atoi(argv[2]), n = 0;
	struct variant v[MAX_VARIANTS];
	for (int i = 3; i < argc && n < MAX_VARIANTS;) {
		v[n].name = argv[i++];
		v[n].argv = &argv[i];
		while (i < argc && strcmp(argv[i], "::")) i++;
		if (i < argc) argv[i++] = 0;
		v[n].us = calloc(rounds, sizeof(double));
		n++;
	}
	for (int r = 0; r < warm; r++)
		for (int k = 0; k < n; k++) spawn_wait(v[k].argv);
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < n; k++) v[(k + r) % n].us[r] = spawn_wait(v[(k + r) % n].argv);
	printf("{");
	for (int k = 0; k < n; k++) {
		double sum = 0;
		for (int r = 0; r < rounds; r++) sum += v[k].us[r];
		qsort(v[k].us, rounds, sizeof(double), cmp);
		printf("%s\"%s\":{\"median\":%.1f,\"mean\":%.1f,\"min\":%.1f,\"runs\":%d}", k ? "," : "", v[k].name,
		       v[k].us[rounds / 2], sum / rounds, v[k].us[0], rounds);
	}
	printf("}\n");
	return 0;
}

/*
 * Spawn-and-wait latency, interleaved: each round runs every variant once
 * (posix_spawn + wait4), in turn, after warm-up rounds. Prints one JSON
 * object: per variant the median, mean and minimum in microseconds, and the
 * mean minor page faults per run (the child's ru_minflt: the exec and the
 * program, plus a constant few from posix_spawn before the exec), and the
 * median CPU time of the child (ru_utime + ru_stime: the exec, the loader and
 * the program, without the time spent waiting for a CPU, which on a shared
 * machine dominates the spread of the wall-clock figures).
 *   loader-timer ROUNDS WARMUP NAME [-a ARGV0] PATH ARGS... [:: NAME ...]...
 * -a gives the program another argv[0] than its path (a PATH lookup's).
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;
#define MAX_VARIANTS 16

struct variant {
	const char *name, *path;
	char **argv;
	double *us, *cpu;
	double faults;
};

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static double spawn_wait(const char *path, char **argv, long *faults, double *cpu)
{
	pid_t pid;
	int status;
	struct rusage ru;
	double t0 = now_us();
	if (posix_spawn(&pid, path, 0, 0, argv, environ)) perror(path), exit(1);
	wait4(pid, &status, 0, &ru);
	double t = now_us() - t0;
	*faults = ru.ru_minflt;
	*cpu = ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) fprintf(stderr, "%s: status %d\n", path, status), exit(1);
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
	long faults;
	double cpu;
	struct variant v[MAX_VARIANTS];
	for (int i = 3; i < argc && n < MAX_VARIANTS;) {
		v[n].name = argv[i++];
		if (i + 2 < argc && !strcmp(argv[i], "-a")) {
			/* [-a, ARGV0, PATH, ARGS...] -> argv [ARGV0, ARGS...] */
			v[n].path = argv[i + 2];
			argv[i + 2] = argv[i + 1];
			i += 2;
		} else {
			v[n].path = argv[i];
		}
		v[n].argv = &argv[i];
		while (i < argc && strcmp(argv[i], "::")) i++;
		if (i < argc) argv[i++] = 0;
		v[n].us = calloc(rounds, sizeof(double));
		v[n].cpu = calloc(rounds, sizeof(double));
		v[n].faults = 0;
		n++;
	}
	for (int r = 0; r < warm; r++)
		for (int k = 0; k < n; k++) spawn_wait(v[k].path, v[k].argv, &faults, &cpu);
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < n; k++) {
			struct variant *x = &v[(k + r) % n];
			x->us[r] = spawn_wait(x->path, x->argv, &faults, &x->cpu[r]);
			x->faults += faults;
		}
	printf("{");
	for (int k = 0; k < n; k++) {
		double sum = 0;
		for (int r = 0; r < rounds; r++) sum += v[k].us[r];
		qsort(v[k].us, rounds, sizeof(double), cmp);
		qsort(v[k].cpu, rounds, sizeof(double), cmp);
		printf("%s\"%s\":{\"median\":%.1f,\"mean\":%.1f,\"min\":%.1f,\"cpu\":%.1f,\"faults\":%.2f,\"runs\":%d}",
		       k ? "," : "", v[k].name, v[k].us[rounds / 2], sum / rounds, v[k].us[0], v[k].cpu[rounds / 2],
		       v[k].faults / rounds, rounds);
	}
	printf("}\n");
	return 0;
}

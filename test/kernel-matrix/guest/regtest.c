/*
 * Runs inside a matrix VM: the kernel is the oracle for register strings.
 * Reads records from FILE (a 2-byte little-endian length, then the bytes),
 * writes each to MNT/register with one write(), and prints one line per record:
 *   E <errno name>                  the write failed
 *   A <name hex> <read-back hex>    accepted: the new entry and its text (then removed)
 * An entry named "dup" exists throughout, so that EEXIST is exercised.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *mnt;

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EEXIST: return "EEXIST";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOTDIR: return "ENOTDIR";
	case ELOOP: return "ELOOP";
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	default: return "E?";
	}
}

static int write_file(const char *path, const void *buf, size_t n)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	ssize_t r = write(fd, buf, n);
	int e = r < 0 ? errno : 0;
	close(fd);
	return e;
}

static void hex(const unsigned char *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		putchar(d[p[i] >> 4]);
		putchar(d[p[i] & 15]);
	}
}

/* The one entry that is not register, status or dup; its name into out. */
static int new_entry(char *out, size_t cap)
{
	DIR *d = opendir(mnt);
	struct dirent *e;
	int found = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "register") || !strcmp(n, "status") || !strcmp(n, "dup"))
			continue;
		snprintf(out, cap, "%s", n);
		found++;
	}
	closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	static unsigned char rec[4096], text[8192];
	char reg[512], path[1024], name[512];
	if (argc < 3)
		return 2;
	mnt = argv[2];
	FILE *in = fopen(argv[1], "rb");
	if (!in)
		return 2;
	snprintf(reg, sizeof reg, "%s/register", mnt);
	const char dup[] = ":dup:E::dupext::/bin/sh:";
	if (write_file(reg, dup, sizeof dup - 1))
		return 3;
	unsigned char len[2];
	while (fread(len, 1, 2, in) == 2) {
		size_t n = len[0] | (size_t)len[1] << 8;
		if (n > sizeof rec || fread(rec, 1, n, in) != n)
			return 4;
		int e = write_file(reg, rec, n);
		if (e) {
			printf("E %s\n", errname(e));
			continue;
		}
		if (new_entry(name, sizeof name) != 1) {
			printf("X no single new entry\n");
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", mnt, name);
		int fd = open(path, O_RDONLY);
		ssize_t t = fd < 0 ? -1 : read(fd, text, sizeof text);
		if (fd >= 0)
			close(fd);
		putchar('A');
		putchar(' ');
		hex((unsigned char *)name, strlen(name));
		putchar(' ');
		if (t > 0)
			hex(text, (size_t)t);
		putchar('\n');
		write_file(path, "-1", 2);
	}
	fflush(stdout);
	return 0;
}

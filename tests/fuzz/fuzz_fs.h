/*
 * fuzz_fs.h — for fuzz targets whose parser reads its bytes from files
 * below a data root (as de always does): a fresh directory per input (in
 * /dev/shm when there, a tmpfs, else TMPDIR or /tmp), the input's parts
 * written into it at the paths the parser reads, and the directory removed
 * after the run. Header-only: each target is one translation unit.
 *
 * An input is cut into parts at NUL bytes (the JSON and text files fuzzed
 * this way hold none; a binary part, a bbolt file, is always the last).
 */
#ifndef DE_FUZZ_FS_H
#define DE_FUZZ_FS_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fz_part {
	const uint8_t *p;
	size_t n;
} fz_part;

/* Cuts data at its first max-1 NUL bytes; the last part is the rest.
 * Returns the number of parts (missing ones are empty). */
static inline size_t fz_split(const uint8_t *data, size_t size, fz_part *parts, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < max; i++)
		parts[i] = (fz_part){(const uint8_t *)"", 0};
	while (k + 1 < max) {
		const uint8_t *z = size ? memchr(data, 0, size) : NULL;
		if (!z)
			break;
		parts[k++] = (fz_part){data, (size_t)(z - data)};
		size -= (size_t)(z - data) + 1;
		data = z + 1;
	}
	parts[k++] = (fz_part){data, size};
	return k;
}

/* out = a/b (a path too long for out is a bug of the target). */
static inline void fz_join(char *out, size_t len, const char *a, const char *b)
{
	int n = snprintf(out, len, "%s/%s", a, b);
	if (n < 0 || (size_t)n >= len)
		abort();
}

/* A fresh empty directory; caller frees the name after fz_rmroot. */
static inline char *fz_mkroot(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	char *t = malloc(4096);
	snprintf(t, 4096, "%s/de-fuzz.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(t)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	return t;
}

/* mkdir -p of the directories of root/rel (rel's last part excluded). */
static inline void fz_mkparents(const char *root, const char *rel)
{
	char p[4096];
	fz_join(p, sizeof p, root, rel);
	for (char *s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
}

/* Writes root/rel (parents made). */
static inline void fz_write(const char *root, const char *rel, const void *p, size_t n)
{
	char path[4096];
	fz_mkparents(root, rel);
	fz_join(path, sizeof path, root, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		abort();
	}
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w <= 0) {
			perror(path);
			abort();
		}
		c += w;
		n -= (size_t)w;
	}
	close(fd);
}

static inline void fz_write_str(const char *root, const char *rel, const char *s)
{
	fz_write(root, rel, s, strlen(s));
}

static inline void fz_write_part(const char *root, const char *rel, fz_part part)
{
	fz_write(root, rel, part.p, part.n);
}

static inline void fz_mkdir(const char *root, const char *rel)
{
	char path[4096];
	fz_join(path, sizeof path, rel, "");
	fz_mkparents(root, path);
}

/* A symlink the file system refuses (a target over PATH_MAX) is left out. */
static inline void fz_symlink(const char *root, const char *rel, const char *target)
{
	char path[4096];
	fz_mkparents(root, rel);
	fz_join(path, sizeof path, root, rel);
	if (symlink(target, path) < 0 && errno != EEXIST && errno != ENAMETOOLONG) {
		perror(path);
		abort();
	}
}

static inline int fz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* rm -rf root, never following a symlink; frees root. */
static inline void fz_rmroot(char *root)
{
	nftw(root, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

/* NUL-terminated copy of a part (for the text parsers that take strings). */
static inline char *fz_strdup(fz_part part)
{
	char *s = malloc(part.n + 1);
	memcpy(s, part.p, part.n);
	s[part.n] = '\0';
	return s;
}

#endif

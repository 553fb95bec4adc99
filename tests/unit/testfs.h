/*
 * testfs.h — building small constructed evidence trees for unit tests, in a
 * fresh temporary directory. Header-only: each test binary includes it once.
 */
#ifndef DE_TESTFS_H
#define DE_TESTFS_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tfs_root[256];

/* mkdir -p of root/rel's parent directories. */
static inline void tfs_mkparents(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", tfs_root, rel);
	for (char *p = path + strlen(tfs_root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
}

static inline void tfs_mkdir(const char *rel)
{
	char path[1024];
	tfs_mkparents(rel);
	snprintf(path, sizeof path, "%s/%s", tfs_root, rel);
	mkdir(path, 0755);
}

static inline void tfs_write(const char *rel, const char *data, size_t len)
{
	char path[1024];
	tfs_mkparents(rel);
	snprintf(path, sizeof path, "%s/%s", tfs_root, rel);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	fwrite(data, 1, len, f);
	fclose(f);
}

static inline void tfs_puts(const char *rel, const char *text)
{
	tfs_write(rel, text, strlen(text));
}

static inline void tfs_symlink(const char *target, const char *rel)
{
	char path[1024];
	tfs_mkparents(rel);
	snprintf(path, sizeof path, "%s/%s", tfs_root, rel);
	if (symlink(target, path) != 0) {
		perror(path);
		abort();
	}
}

static inline int tfs_setup(void **state)
{
	(void)state;
	snprintf(tfs_root, sizeof tfs_root, "/tmp/de-unit.XXXXXX");
	if (!mkdtemp(tfs_root))
		return -1;
	return 0;
}

static inline int tfs_teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tfs_root);
	return system(cmd) == 0 ? 0 : -1;
}

#endif

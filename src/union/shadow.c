/*
 * shadow.c — what the top layers of a stack hide of the layers below them.
 *
 * Many containers share one image: its layers are walked once, and each
 * container's records for them are the image's entries minus what the
 * container's own layers (its writable layer, its -init layer, its mounts)
 * replace or hide. A shadow is that set, built from those few layers raw:
 *   - an entry the top layers hold replaces the image's entry of that path
 *     (a directory only itself: its content still merges);
 *   - a whiteout, an opaque directory, a non-directory, or a mount point
 *     also hides everything below that path.
 * Memory is proportional to the top layers, never to the image.
 */
#include "union_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"

enum { SH_REPLACED = 1, SH_SUBTREE = 2 };

typedef struct sh_ent {
	char *path;
	unsigned char how;
} sh_ent;

struct un_shadow {
	sh_ent *v;
	size_t n, cap;
	uint32_t *slot;
	size_t nslot;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static size_t find(const un_shadow *s, const char *p, size_t n)
{
	size_t mask = s->nslot - 1, i = hash_bytes(p, n) & mask;
	while (s->slot[i] && (strlen(s->v[s->slot[i] - 1].path) != n ||
	                      memcmp(s->v[s->slot[i] - 1].path, p, n)))
		i = (i + 1) & mask;
	return i;
}

static void grow(un_shadow *s)
{
	size_t nslot = s->nslot ? s->nslot * 2 : 256;
	free(s->slot);
	s->slot = xcalloc(nslot, sizeof *s->slot);
	s->nslot = nslot;
	for (size_t k = 0; k < s->n; k++)
		s->slot[find(s, s->v[k].path, strlen(s->v[k].path))] = (uint32_t)(k + 1);
}

static void mark(un_shadow *s, const char *path, unsigned char how)
{
	if ((s->n + 1) * 2 > s->nslot)
		grow(s);
	size_t i = find(s, path, strlen(path));
	if (s->slot[i]) {
		s->v[s->slot[i] - 1].how |= how;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n] = (sh_ent){xstrdup(path), how};
	s->slot[i] = (uint32_t)++s->n;
}

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
}

/* One layer directory, raw, recursively. */
static void mark_dir(un_shadow *s, un_rules rules, int fd, const char *path, bool xwh,
                     unsigned depth)
{
	int dfd = open_dir_at(fd, ".");
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		de_warn("%s: unreadable while reading a container's layers: %s", path, strerror(errno));
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (rules == UN_RULES_AUFS && !strncmp(name, AUFS_WH, strlen(AUFS_WH))) {
			if (!strcmp(name, AUFS_OPQ)) {
				mark(s, path, SH_SUBTREE);
			} else if (strncmp(name, AUFS_WH_META, strlen(AUFS_WH_META)) != 0) {
				char *p = join(path, name + strlen(AUFS_WH));
				mark(s, p, SH_REPLACED | SH_SUBTREE);
				free(p);
			}
			continue;
		}
		struct stat st;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		char *p = join(path, name);
		if (!S_ISDIR(st.st_mode) || rules_is_whiteout(rules, dirfd(d), name, &st, xwh)) {
			mark(s, p, SH_REPLACED | SH_SUBTREE);
		} else {
			int sub = open_dir_at(dirfd(d), name);
			dir_marks dm = {0};
			if (sub >= 0)
				rules_dir_marks(rules, sub, &dm);
			free(dm.redirect);
			mark(s, p, SH_REPLACED | (dm.opaque ? SH_SUBTREE : 0));
			if (sub >= 0 && depth < UN_MAX_DEPTH)
				mark_dir(s, rules, sub, p, dm.xwhiteouts, depth + 1);
			if (sub >= 0)
				close(sub);
		}
		free(p);
	}
	closedir(d);
}

un_shadow *un_shadow_build(un_fs *fs, size_t upto)
{
	un_shadow *s = xcalloc(1, sizeof *s);
	grow(s);
	for (size_t i = 0; i < upto && i < fs->nlayers; i++) {
		int fd = open_dir_at(fs->layers[i].fd, ".");
		if (fd < 0)
			continue;
		dir_marks dm;
		rules_root_marks(fs->rules, fd, &dm);   /* a root hides nothing below */
		mark_dir(s, fs->rules, fd, "/", dm.xwhiteouts, 0);
		close(fd);
	}
	for (size_t i = 0; i < fs->nmounts; i++)
		mark(s, fs->mounts[i].path, SH_REPLACED | SH_SUBTREE);
	return s;
}

bool un_shadow_hides(const un_shadow *s, const char *path)
{
	size_t n = strlen(path);
	size_t i = find(s, path, n);
	if (s->slot[i])
		return true;   /* replaced, or hidden with its subtree */
	/* an ancestor hiding its subtree: "/" first, then each prefix */
	i = find(s, "/", 1);
	if (s->slot[i] && (s->v[s->slot[i] - 1].how & SH_SUBTREE))
		return true;
	for (size_t k = 1; k < n; k++) {
		if (path[k] != '/')
			continue;
		i = find(s, path, k);
		if (s->slot[i] && (s->v[s->slot[i] - 1].how & SH_SUBTREE))
			return true;
	}
	return false;
}

void un_shadow_free(un_shadow *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	free(s->slot);
	free(s);
}

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
 * It also says why an entry is hidden: what a whiteout, an opaque directory
 * or a non-directory hides was deleted from the view, at the time of that
 * marker; what a mount point hides is only covered. Each path keeps the
 * layer that holds it topmost and the topmost layer that hides its
 * subtree, so a walk of the lower top layers (the -init layer) can ask
 * what the layers above it deleted.
 * Memory is proportional to the top layers, never to the image.
 */
#include "union_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/evh.h"
#include "rules.h"

enum { SH_REPLACED = 1, SH_SUBTREE = 2, SH_USED = 4 };
#define SH_MOUNT_LAYER (-1)   /* mounts are above every layer */

typedef struct sh_ent {
	char *path;
	unsigned char how;
	unsigned char kind;     /* un_marker_kind of what hides the subtree */
	short layer;            /* topmost layer holding the path */
	short sub_layer;        /* topmost layer hiding its subtree */
} sh_ent;

struct un_shadow {
	const un_fs *fs;
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

/* Layers are marked top first: the first layer to mark a path is the one
 * the view shows there, and the first to hide its subtree is the one that
 * hid it. */
static void mark(un_shadow *s, const char *path, unsigned char how, un_marker_kind kind,
                 int layer)
{
	if ((s->n + 1) * 2 > s->nslot)
		grow(s);
	size_t i = find(s, path, strlen(path));
	if (s->slot[i]) {
		sh_ent *e = &s->v[s->slot[i] - 1];
		if ((how & SH_SUBTREE) && !(e->how & SH_SUBTREE)) {
			e->kind = (unsigned char)kind;
			e->sub_layer = (short)layer;
		}
		e->how |= how;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n] = (sh_ent){xstrdup(path), how, (unsigned char)kind, (short)layer, (short)layer};
	s->slot[i] = (uint32_t)++s->n;
}

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
}

/* One layer directory, raw, recursively. */
static void mark_dir(un_shadow *s, un_rules rules, int layer, int fd, const char *path, bool xwh,
                     unsigned depth)
{
	int dfd = open_dir_at(fd, ".");
	evh_dir *d = dfd >= 0 ? evh_opendir(dfd) : NULL;   /* takes dfd, even failing */
	if (!d) {
		de_warn("%s: unreadable while reading a container's layers: %s", path, strerror(errno));
		return;
	}
	struct dirent *de;
	while ((de = evh_readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (rules == UN_RULES_AUFS && !strncmp(name, AUFS_WH, strlen(AUFS_WH))) {
			if (!strcmp(name, AUFS_OPQ)) {
				if (depth)   /* a root is never opaque (rules_root_marks) */
					mark(s, path, SH_SUBTREE, UN_MK_OPAQUE, layer);
			} else if (strncmp(name, AUFS_WH_META, strlen(AUFS_WH_META)) != 0) {
				char *p = join(path, name + strlen(AUFS_WH));
				mark(s, p, SH_REPLACED | SH_SUBTREE, UN_MK_WHITEOUT, layer);
				free(p);
			}
			continue;
		}
		struct stat st;
		if (evh_fstatat(evh_dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		char *p = join(path, name);
		if (rules_is_whiteout(rules, evh_dirfd(d), name, &st, xwh)) {
			mark(s, p, SH_REPLACED | SH_SUBTREE, UN_MK_WHITEOUT, layer);
		} else if (!S_ISDIR(st.st_mode)) {
			mark(s, p, SH_REPLACED | SH_SUBTREE, UN_MK_NONDIR, layer);
		} else {
			int sub = open_dir_at(evh_dirfd(d), name);
			dir_marks dm = {0};
			if (sub >= 0)
				rules_dir_marks(rules, sub, &dm);
			free(dm.redirect);
			mark(s, p, SH_REPLACED | (dm.opaque ? SH_SUBTREE : 0), UN_MK_OPAQUE, layer);
			if (sub >= 0 && depth < UN_MAX_DEPTH)
				mark_dir(s, rules, layer, sub, p, dm.xwhiteouts, depth + 1);
			if (sub >= 0)
				evh_close(sub);
		}
		free(p);
	}
	evh_closedir(d);
}

un_shadow *un_shadow_build(un_fs *fs, size_t upto)
{
	un_shadow *s = xcalloc(1, sizeof *s);
	s->fs = fs;
	grow(s);
	for (size_t i = 0; i < upto && i < fs->nlayers; i++) {
		int fd = open_dir_at(fs->layers[i].fd, ".");
		if (fd < 0)
			continue;
		dir_marks dm;
		rules_root_marks(fs->rules, fd, &dm);   /* a root hides nothing below */
		mark_dir(s, fs->rules, (int)i, fd, "/", dm.xwhiteouts, 0);
		evh_close(fd);
	}
	for (size_t i = 0; i < fs->nmounts; i++)
		mark(s, fs->mounts[i].path, SH_REPLACED | SH_SUBTREE, UN_MK_MOUNT, SH_MOUNT_LAYER);
	return s;
}

static sh_ent *at(const un_shadow *s, const char *path, size_t n)
{
	size_t i = find(s, path, n);
	return s->slot[i] ? &s->v[s->slot[i] - 1] : NULL;
}

static un_hidden hidden_by(sh_ent *e, un_marker *mk)
{
	if (mk)
		*mk = (un_marker){e->path, (un_marker_kind)e->kind, e->sub_layer};
	if (e->kind == UN_MK_MOUNT)
		return UN_HID_MOUNTED;
	e->how |= SH_USED;
	return UN_HID_DELETED;
}

un_hidden un_shadow_why(un_shadow *s, const char *path, int below, un_marker *mk)
{
	size_t n = strlen(path);
	/* an ancestor hiding its subtree, outermost first: "/", then each prefix */
	for (size_t k = 0; k < n; k++) {
		if (path[k] != '/')
			continue;
		sh_ent *e = at(s, path, k ? k : 1);
		if (e && (e->how & SH_SUBTREE) && e->sub_layer < below)
			return hidden_by(e, mk);
	}
	sh_ent *e = at(s, path, n);
	if (!e || e->layer >= below)
		return UN_HID_SHOWN;
	if ((e->how & SH_SUBTREE) && e->sub_layer < below &&
	    (e->kind == UN_MK_WHITEOUT || e->kind == UN_MK_MOUNT))
		return hidden_by(e, mk);
	return UN_HID_REPLACED;   /* the top layers hold the path itself */
}

bool un_shadow_hides(const un_shadow *s, const char *path)
{
	size_t n = strlen(path);
	if (at(s, path, n))
		return true;   /* replaced, or hidden with its subtree */
	for (size_t k = 0; k < n; k++) {
		if (path[k] != '/')
			continue;
		sh_ent *e = at(s, path, k ? k : 1);
		if (e && (e->how & SH_SUBTREE))
			return true;
	}
	return false;
}

void un_shadow_unused(const un_shadow *s, void (*fn)(void *arg, const un_marker *mk), void *arg)
{
	for (size_t i = 0; i < s->n; i++) {
		const sh_ent *e = &s->v[i];
		if ((e->how & SH_SUBTREE) && e->kind == UN_MK_WHITEOUT && !(e->how & SH_USED))
			fn(arg, &(un_marker){e->path, UN_MK_WHITEOUT, e->sub_layer});
	}
}

/* The directory of path's parent in a layer, component by component, never
 * through a symlink; the last name in *last. -1 when it is not there. */
static int parent_in_layer(int layerfd, const char *path, const char **last)
{
	int fd = open_dir_at(layerfd, ".");
	const char *p = path;
	while (fd >= 0 && *p == '/')
		p++;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash || fd < 0)
			break;
		char *comp = xstrndup(p, (size_t)(slash - p));
		int sub = open_dir_at(fd, comp);
		free(comp);
		evh_close(fd);
		fd = sub;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

int un_shadow_marker_stat(const un_shadow *s, const un_marker *mk, struct statx *out, de_err *e)
{
	const un_fs *fs = s->fs;
	if (mk->layer < 0 || (size_t)mk->layer >= fs->nlayers)
		return de_fail(e, "%s: a mount point, not a marker of a layer", mk->path);
	const char *label = fs->layers[mk->layer].label, *last;
	int fd = parent_in_layer(fs->layers[mk->layer].fd, mk->path, &last);
	char *name = NULL;
	if (fd >= 0 && fs->rules == UN_RULES_AUFS && mk->kind == UN_MK_WHITEOUT) {
		name = xasprintf(AUFS_WH "%s", last);          /* .wh.<name> */
	} else if (fd >= 0 && fs->rules == UN_RULES_AUFS && mk->kind == UN_MK_OPAQUE) {
		int dir = *last ? open_dir_at(fd, last) : fd;   /* <dir>/.wh..wh..opq */
		if (dir != fd)
			evh_close(fd);
		fd = dir;
		name = xstrdup(AUFS_OPQ);
	}
	if (fd < 0) {
		free(name);
		return de_fail_errno(e, errno, "%s in layer %s", mk->path, label);
	}
	int r = evh_statx(fd, name ? name : *last ? last : ".", AT_SYMLINK_NOFOLLOW,
	              STATX_BASIC_STATS | STATX_BTIME, out);
	int err = errno;
	evh_close(fd);
	free(name);
	if (r < 0)
		return de_fail_errno(e, err, "%s in layer %s", mk->path, label);
	return 0;
}

un_fs *un_slice_raw(const un_fs *fs, size_t layer)
{
	un_fs *out = un_new(UN_RULES_NONE);
	if (layer < fs->nlayers)
		un_add_layer(out, evh_dup(fs->layers[layer].fd), fs->layers[layer].label);
	return out;
}

un_raw un_raw_kind(const un_fs *fs, const un_walk_entry *ent, char **hidden)
{
	*hidden = NULL;
	const struct stat *st = &ent->node->st;
	if (fs->rules == UN_RULES_AUFS && !strncmp(ent->name, AUFS_WH, strlen(AUFS_WH))) {
		if (!strncmp(ent->name, AUFS_WH_META, strlen(AUFS_WH_META)))
			return UN_RAW_META;   /* .wh..wh.opq, .wh..wh.plnk…: aufs' own */
		size_t dl = (size_t)(strrchr(ent->path, '/') - ent->path) + 1;   /* "/dir/" */
		*hidden = xasprintf("%.*s%s", (int)dl, ent->path, ent->name + strlen(AUFS_WH));
		return UN_RAW_WHITEOUT;
	}
	if (fs->rules != UN_RULES_OVERLAY)
		return UN_RAW_ENTRY;
	bool xwh = false;
	if (S_ISREG(st->st_mode) && st->st_size == 0) {
		/* an xattr whiteout counts only in a directory marked "x" */
		dir_marks dm;
		rules_dir_marks(fs->rules, ent->dirfd, &dm);
		free(dm.redirect);
		xwh = dm.xwhiteouts;
	}
	if (!rules_is_whiteout(fs->rules, ent->dirfd, ent->at, st, xwh))
		return UN_RAW_ENTRY;
	*hidden = xstrdup(ent->path);
	return UN_RAW_WHITEOUT;
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

/*
 * listing.c — merged directory listings and the depth-first walk.
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

/* ---- directory listing ----------------------------------------------------- */

/* Names seen while merging one directory: an open-addressing hash set.
 * A whiteout is kept as an entry with layer -1: it hides the name in the
 * layers below and is not listed. */
typedef struct nameset {
	un_dirent *v;
	size_t n, cap;
	uint32_t *slot;      /* index + 1; 0 = empty */
	size_t nslot;
} nameset;

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t ns_find(const nameset *ns, const char *name)
{
	size_t mask = ns->nslot - 1, i = hash_name(name) & mask;
	while (ns->slot[i] && strcmp(ns->v[ns->slot[i] - 1].name, name))
		i = (i + 1) & mask;
	return i;
}

static void ns_grow(nameset *ns)
{
	size_t nslot = ns->nslot ? ns->nslot * 2 : 64;
	free(ns->slot);
	ns->slot = xcalloc(nslot, sizeof *ns->slot);
	ns->nslot = nslot;
	for (size_t k = 0; k < ns->n; k++)
		ns->slot[ns_find(ns, ns->v[k].name)] = (uint32_t)(k + 1);
}

static bool ns_has(const nameset *ns, const char *name)
{
	return ns->nslot && ns->slot[ns_find(ns, name)];
}

/* Adds name unless present; returns false when it was. */
static bool ns_add(nameset *ns, const char *name, int layer, unsigned char type)
{
	if ((ns->n + 1) * 2 > ns->nslot)
		ns_grow(ns);
	size_t i = ns_find(ns, name);
	if (ns->slot[i])
		return false;
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 64;
		ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
	}
	ns->v[ns->n] = (un_dirent){.name = xstrdup(name), .layer = layer, .type = type};
	ns->slot[i] = (uint32_t)++ns->n;
	return true;
}

static int cmp_dirent(const void *a, const void *b)
{
	return strcmp(((const un_dirent *)a)->name, ((const un_dirent *)b)->name);
}

static unsigned char dt_of(mode_t m)
{
	return S_ISDIR(m) ? DT_DIR : S_ISREG(m) ? DT_REG : S_ISLNK(m) ? DT_LNK : S_ISCHR(m) ? DT_CHR
	     : S_ISBLK(m) ? DT_BLK : S_ISFIFO(m) ? DT_FIFO : S_ISSOCK(m) ? DT_SOCK : DT_UNKNOWN;
}

/* Reads one layer's directory into ns. Its overlay whiteouts hide names
 * only in the layers below it (a name cannot be both), so they are added
 * after the layer is read; an aufs .wh.<name> hides <name> in its own
 * branch too (as aufs' lookup does), so it is added before the names. */
static void read_layer_dir(const un_fs *fs, const merge *m, size_t k, const char *path,
                           nameset *ns)
{
	int fd = open_dir_at(m->fd[k], ".");
	evh_dir *d = fd >= 0 ? evh_opendir(fd) : NULL;   /* takes fd, even failing */
	if (!d) {
		de_warn("%s: directory unreadable in layer %s: %s", path,
		        un_layer_label(fs, m->layer[k]), strerror(errno));
		return;
	}
	strvec wh = {0}, names = {0};
	dbuf types = {0};   /* aufs: the names of this layer wait for its whiteouts */
	struct dirent *de;
	size_t count = 0;
	while ((de = evh_readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (++count > 10000000u) {
			de_warn("%s: more than 10000000 entries in layer %s; the rest is not listed",
			        path, un_layer_label(fs, m->layer[k]));
			break;
		}
		if (m->rules == UN_RULES_AUFS && !strncmp(name, AUFS_WH, strlen(AUFS_WH))) {
			if (strncmp(name, AUFS_WH_META, strlen(AUFS_WH_META)) != 0)
				sv_push(&wh, name + strlen(AUFS_WH));
			continue;   /* .wh..wh.* is aufs bookkeeping */
		}
		if (ns_has(ns, name))
			continue;
		unsigned char type = de->d_type;
		bool maybe_wh = m->rules == UN_RULES_OVERLAY &&
		                (type == DT_CHR || (type == DT_REG && m->xwh[k]));
		if (type == DT_UNKNOWN || maybe_wh) {
			struct stat st;
			if (evh_fstatat(m->fd[k], name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				de_warn("%s/%s: unreadable in layer %s: %s", path, name,
				        un_layer_label(fs, m->layer[k]), strerror(errno));
				continue;
			}
			if (rules_is_whiteout(m->rules, m->fd[k], name, &st, m->xwh[k])) {
				sv_push(&wh, name);
				continue;
			}
			type = dt_of(st.st_mode);
		}
		if (m->rules == UN_RULES_AUFS) {
			sv_push(&names, name);
			db_add(&types, (const char *)&type, 1);
		} else {
			ns_add(ns, name, m->layer[k], type);
		}
	}
	evh_closedir(d);
	if (m->rules == UN_RULES_AUFS)
		for (size_t i = 0; i < wh.n; i++)
			ns_add(ns, wh.v[i], -1, DT_UNKNOWN);
	for (size_t i = 0; i < names.n; i++)
		ns_add(ns, names.v[i], m->layer[k], (unsigned char)types.p[i]);
	for (size_t i = 0; i < wh.n; i++)
		ns_add(ns, wh.v[i], -1, DT_UNKNOWN);
	sv_free(&wh);
	sv_free(&names);
	db_free(&types);
}

/* The merged listing of the directory whose merge is m, at path. */
void list_merge(const un_fs *fs, const merge *m, const char *path, un_dir *out)
{
	nameset ns = {0};
	for (size_t k = 0; k < m->n; k++)
		read_layer_dir(fs, m, k, path, &ns);
	/* Volumes, binds and mounted files show at their mount points,
	 * whatever is below. */
	size_t plen = strlen(path);
	for (size_t i = 0; i < fs->nmounts; i++) {
		const struct un_mount *mt = &fs->mounts[i];
		const char *slash = strrchr(mt->path, '/');
		size_t parent_len = (size_t)(slash - mt->path);
		if (!slash[1] || parent_len != (plen == 1 ? 0 : plen) ||
		    strncmp(mt->path, path, parent_len))
			continue;
		struct stat st;
		unsigned char type = !strcmp(mt->name, ".") ? DT_DIR
		                   : mount_stat(mt, &st) == 0 ? dt_of(st.st_mode) : DT_UNKNOWN;
		size_t at = ns.nslot ? ns_find(&ns, slash + 1) : 0;
		if (ns.nslot && ns.slot[at]) {
			ns.v[ns.slot[at] - 1].layer = mount_index(fs, mt);
			ns.v[ns.slot[at] - 1].type = type;
		} else {
			ns_add(&ns, slash + 1, mount_index(fs, mt), type);
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < ns.n; i++) {
		if (ns.v[i].layer < 0)
			free(ns.v[i].name);
		else
			ns.v[n++] = ns.v[i];
	}
	if (n > 1)
		qsort(ns.v, n, sizeof *ns.v, cmp_dirent);
	free(ns.slot);
	out->v = ns.v;
	out->n = n;
}

int un_readdir(un_fs *fs, const char *path, un_dir *out, de_err *e)
{
	loc l;
	memset(out, 0, sizeof *out);
	if (resolve(fs, path, true, true, &l, e) < 0)
		return -1;
	if (!S_ISDIR(l.node.st.st_mode)) {
		de_fail(e, "%s: not a directory", l.path);
		loc_free(&l);
		return -1;
	}
	list_merge(fs, &l.self, l.path, out);
	loc_free(&l);
	return 0;
}

void un_dir_free(un_dir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/* ---- walking ----------------------------------------------------------------- */

typedef struct walker {
	un_fs *fs;
	un_walk_fn fn;
	void *arg;
	bool stopped;
	/* Scratch of walk_child, used before it recurses and never after: kept
	 * here, not in its frame, so that each level of a UN_MAX_DEPTH-deep
	 * walk costs ~300 bytes of stack, not 1.5 KB (hostile case "deep-dirs":
	 * 4096 levels overflowed ASan's 8 MB stack). */
	de_err e;
	un_node again;
} walker;

static void walk_dir(walker *w, const merge *m, const char *path, unsigned depth);

static void walk_child(walker *w, const merge *m, const char *path, const un_dirent *d,
                       unsigned depth)
{
	un_fs *fs = w->fs;
	char *cpath = xasprintf("%s/%s", strcmp(path, "/") ? path : "", d->name);
	const struct un_mount *mt = d->layer >= (int)fs->nlayers ? mount_at(fs, cpath) : NULL;
	un_node node = {.layer = d->layer};
	int dirfd = mt ? mt->fd : fd_of(m, d->layer);
	const char *at = mt ? mt->name : d->name;
	if (dirfd < 0 || (mt ? mount_stat(mt, &node.st)
	                     : evh_fstatat(dirfd, at, &node.st, AT_SYMLINK_NOFOLLOW)) < 0) {
		de_warn("%s: unreadable in layer %s: %s", cpath, un_layer_label(fs, d->layer),
		        strerror(errno));
		free(cpath);
		return;
	}
	node.metacopy = !mt && m->rules == UN_RULES_OVERLAY && S_ISREG(node.st.st_mode) &&
	                ovl_is_metacopy(dirfd, at, &node.st);
	/* a directory's merge first: whether it is merged is part of its entry */
	merge child;
	int rc = -1;
	if (S_ISDIR(node.st.st_mode)) {
		rc = mt ? merge_mount(fs, mt, &child, &w->e)
		        : lookup(fs, m, cpath, d->name, &w->again, &child, &w->e);
		node.merged = rc == 0 && !mt && w->again.merged;
	}
	un_walk_entry ent = {.path = cpath, .name = d->name, .node = &node, .dirfd = dirfd,
	                     .at = at};
	int r = w->fn(w->arg, &ent);
	if (r < 0) {
		w->stopped = true;
	} else if (r == 0 && S_ISDIR(node.st.st_mode)) {
		if (rc < 0)
			de_warn("%s", w->e.msg);
		else if (depth + 1 >= UN_MAX_DEPTH)
			de_warn("%s: deeper than %d directories; its content is not listed", cpath,
			        UN_MAX_DEPTH);
		else
			walk_dir(w, &child, cpath, depth + 1);
	}
	if (rc == 0)
		merge_close(&child);
	free(cpath);
}

static void walk_dir(walker *w, const merge *m, const char *path, unsigned depth)
{
	un_dir d;
	list_merge(w->fs, m, path, &d);
	for (size_t i = 0; i < d.n && !w->stopped; i++)
		walk_child(w, m, path, &d.v[i], depth);
	un_dir_free(&d);
}

int un_walk(un_fs *fs, const char *path, un_walk_fn fn, void *arg, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, true, &l, e) < 0)
		return -1;
	if (!S_ISDIR(l.node.st.st_mode)) {
		de_fail(e, "%s: not a directory", l.path);
		loc_free(&l);
		return -1;
	}
	walker w = {.fs = fs, .fn = fn, .arg = arg};
	walk_dir(&w, &l.self, l.path, 0);
	loc_free(&l);
	return w.stopped ? -1 : 0;
}

int un_walk_self(un_fs *fs, const char *path, un_walk_fn fn, void *arg, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, true, &l, e) < 0)
		return -1;
	if (!S_ISDIR(l.node.st.st_mode)) {
		de_fail(e, "%s: not a directory", l.path);
		loc_free(&l);
		return -1;
	}
	/* the entry itself, as a walk gives it: where it is (efd, ename:
	 * its supplying layer, or "." for a mount's root) and its node */
	const char *slash = strrchr(l.path, '/');
	un_walk_entry ent = {.path = l.path, .name = slash ? slash + 1 : l.path, .node = &l.node,
	                     .dirfd = l.efd, .at = l.ename};
	walker w = {.fs = fs, .fn = fn, .arg = arg};
	int r = fn(arg, &ent);
	if (r < 0)
		w.stopped = true;
	else if (r == 0)
		walk_dir(&w, &l.self, l.path, 0);
	loc_free(&l);
	return w.stopped ? -1 : 0;
}


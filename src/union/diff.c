/*
 * diff.c — the record of what one layer does to the view of the layers
 * below it (un_diff_walk), and the plain change list of it (un_diff_layer).
 *
 * The layer is read raw (its whiteouts and opaque marks are what is looked
 * for); the layers below are seen merged, through the engine's own lookups,
 * for the entry each change replaces or hides ("before"). One directory is
 * read at a time, and its entries (the layer's own names, and for an opaque
 * directory the names below that it hides) are reported in name order, so
 * the whole record comes in path order, a directory before its content:
 *   A  an entry the layers below do not have (and everything below a new
 *      directory);
 *   C  an entry that replaces one below (a directory is C when the layer
 *      holds it, as overlay copies up every parent of a change);
 *   D  a whiteout, and every entry below an opaque directory that the layer
 *      does not hold itself ("implied" below the first level);
 *   M  aufs' own .wh..wh.* names, when asked for.
 * With UN_DIFF_PROBE, each entry of the layer can also be looked up in each
 * lower layer on its own, unmerged (un_diff_in_layer): the raw directories
 * of the lower layers along the walked path are kept open for it.
 */
#include "union_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../util/evh.h"
#include "rules.h"

/* One lower layer's own directory at the walked path. */
enum raw_state { RAW_DIR, RAW_ABSENT, RAW_UNDER_WHITEOUT, RAW_UNDER_FILE };

typedef struct rawdir {
	size_t n;
	int *fd;                 /* RAW_DIR: the directory, else -1 */
	unsigned char *state;
} rawdir;

/* What un_diff_in_layer needs of an entry: where its name is looked up. */
typedef struct probe {
	const un_fs *fs;
	const rawdir *raw;
	const char *name;
} probe;

typedef struct differ {
	un_fs *fs;
	size_t layer;
	unsigned flags;
	un_diff_ent_fn fn;
	void *arg;
	bool stopped;
} differ;

/* One name of a directory of the record. */
typedef struct item {
	char *name;              /* the name in the view (a marker: its own name) */
	bool held;               /* in the layer; else only below (hidden by opacity) */
	bool aufs_wh;            /* the layer holds ".wh.<name>" */
	bool marker;             /* aufs bookkeeping (.wh..wh.*) */
} item;

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const item *)a)->name, ((const item *)b)->name);
}

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
}

static void report(differ *d, const un_diff_ent *ent)
{
	if (!d->stopped && d->fn(d->arg, ent) < 0)
		d->stopped = true;
}

/* ---- lower layers, unmerged ------------------------------------------------ */

static void raw_free(rawdir *r)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->fd[k] >= 0)
			evh_close(r->fd[k]);
	free(r->fd);
	free(r->state);
	memset(r, 0, sizeof *r);
}

static void raw_alloc(rawdir *r, size_t n)
{
	r->n = n;
	r->fd = xcalloc(n ? n : 1, sizeof *r->fd);
	r->state = xcalloc(n ? n : 1, sizeof *r->state);
}

static bool is_ovl_whiteout(const un_fs *fs, const struct stat *st)
{
	return fs->rules == UN_RULES_OVERLAY && S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

/* The lower layers' own directories named name inside those of parent. */
static void raw_child(const differ *d, const rawdir *parent, const char *name, const char *path,
                      rawdir *out)
{
	raw_alloc(out, parent->n);
	for (size_t k = 0; k < parent->n; k++) {
		out->fd[k] = -1;
		out->state[k] = parent->state[k];
		if (parent->state[k] != RAW_DIR)
			continue;
		struct stat st;
		if (evh_fstatat(parent->fd[k], name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			out->state[k] = RAW_ABSENT;
		} else if (S_ISDIR(st.st_mode)) {
			out->fd[k] = open_dir_at(parent->fd[k], name);
			if (out->fd[k] < 0) {
				de_warn("%s: directory unreadable in layer %s: %s", path,
				        un_layer_label(d->fs, (int)(d->layer + 1 + k)), strerror(errno));
				out->state[k] = RAW_ABSENT;
			}
		} else {
			out->state[k] = is_ovl_whiteout(d->fs, &st) ? RAW_UNDER_WHITEOUT : RAW_UNDER_FILE;
		}
	}
}

size_t un_diff_lower_count(const un_fs *fs, size_t layer)
{
	return layer + 1 < fs->nlayers ? fs->nlayers - layer - 1 : 0;
}

un_presence un_diff_in_layer(const un_diff_ent *ent, size_t k, struct stat *st)
{
	const probe *p = ent->probe;
	if (!p || !p->raw || k >= p->raw->n)
		return UN_ABSENT;
	switch (p->raw->state[k]) {
	case RAW_UNDER_WHITEOUT: return UN_UNDER_WHITEOUT;
	case RAW_UNDER_FILE: return UN_UNDER_FILE;
	case RAW_ABSENT: return UN_ABSENT;
	default: break;
	}
	if (evh_fstatat(p->raw->fd[k], p->name, st, AT_SYMLINK_NOFOLLOW) < 0)
		return UN_ABSENT;
	return is_ovl_whiteout(p->fs, st) ? UN_WHITEOUT : UN_PRESENT;
}

/* ---- the walk -------------------------------------------------------------- */

/* The entry name of the lower merge m, as a walk entry (node filled). */
static bool lower_entry(differ *d, const merge *m, const char *path, const char *name,
                        un_node *node, merge *child, un_walk_entry *ent)
{
	if (!m || !m->n)
		return false;
	if (lookup(d->fs, m, path, name, node, child, NULL) < 0)
		return false;
	*ent = (un_walk_entry){.path = path, .name = name, .node = node,
	                       .dirfd = fd_of(m, node->layer), .at = name};
	return true;
}

/* Past the depth bound a diff goes on without what lies below: an omission,
 * said as the walk says it (hostile case "deep-dirs" was cut silently). */
static void too_deep(const char *path)
{
	de_warn("%s: deeper than %d directories; its content is not compared", path,
	        UN_MAX_DEPTH);
}

/* Every entry below the lower directory m, which the layer hides whole
 * (its parent is deleted or hidden too): D, implied. */
static void report_hidden(differ *d, const merge *m, const char *path, const char *hider,
                          unsigned depth)
{
	un_dir list;
	list_merge(d->fs, m, path, &list);
	for (size_t i = 0; i < list.n && !d->stopped; i++) {
		const char *name = list.v[i].name;
		char *p = join(path, name);
		un_node node;
		merge child = {0};
		un_walk_entry before;
		if (lower_entry(d, m, p, name, &node, &child, &before)) {
			un_diff_ent ent = {.kind = UN_DELETED, .path = p, .depth = depth + 1,
			                   .before = &before, .hidden_by = hider, .implied = true};
			report(d, &ent);
			if (S_ISDIR(node.st.st_mode) && depth + 1 >= UN_MAX_DEPTH)
				too_deep(p);
			else if (S_ISDIR(node.st.st_mode))
				report_hidden(d, &child, p, hider, depth + 1);
			merge_close(&child);
		}
		free(p);
	}
	un_dir_free(&list);
}

/* The names of the layer's directory upfd, and with hide those of the lower
 * merge too (an opaque directory: what it hides), sorted by name. */
static int list_items(differ *d, int upfd, const char *path, const merge *lower, bool hide,
                      item **out, size_t *nout)
{
	int fd = open_dir_at(upfd, ".");
	evh_dir *dir = fd >= 0 ? evh_opendir(fd) : NULL;   /* takes fd, even failing */
	if (!dir)
		return -1;
	size_t n = 0, cap = 0;
	item *v = NULL;
	bool aufs = d->fs->rules == UN_RULES_AUFS;
	struct dirent *de;
	while ((de = evh_readdir(dir)) != NULL) {
		const char *raw = de->d_name;
		if (!strcmp(raw, ".") || !strcmp(raw, ".."))
			continue;
		if (n >= 10000000u) {   /* the bound list_merge keeps too */
			de_warn("%s: more than 10000000 entries in layer %s; the rest is not compared",
			        path, un_layer_label(d->fs, (int)d->layer));
			break;
		}
		item it = {.held = true};
		if (aufs && !strncmp(raw, AUFS_WH_META, strlen(AUFS_WH_META)))
			it.marker = true;
		else if (aufs && !strncmp(raw, AUFS_WH, strlen(AUFS_WH)))
			it.aufs_wh = true;
		else if (aufs && aufs_has_whiteout(upfd, raw))
			continue;   /* hidden by its own branch's whiteout, as in the view */
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		it.name = xstrdup(it.aufs_wh ? raw + strlen(AUFS_WH) : raw);
		v[n++] = it;
	}
	evh_closedir(dir);
	if (hide && lower && lower->n) {
		un_dir list;
		list_merge(d->fs, lower, path, &list);
		for (size_t i = 0; i < list.n; i++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[n++] = (item){.name = list.v[i].name};
			list.v[i].name = NULL;
		}
		un_dir_free(&list);
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_item);
	/* A name both in the layer and below: the layer's entry stands for it. */
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (w && !strcmp(v[w - 1].name, v[i].name)) {
			if (v[i].held && !v[w - 1].held) {
				free(v[w - 1].name);
				v[w - 1] = v[i];
			} else {
				free(v[i].name);
			}
			continue;
		}
		v[w++] = v[i];
	}
	*out = v;
	*nout = w;
	return 0;
}

static void free_items(item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static void diff_dir(differ *d, int upfd, const char *path, const merge *lower, bool hide,
                     const char *hider, bool xwh, const rawdir *raw, unsigned depth);

/* Where the walk goes after an entry the layer holds: down into it. */
typedef struct descend {
	char *path;              /* the entry's path (owned) */
	int sub;                 /* its directory in the layer, or -1: not descended */
	merge lchild;            /* the lower directory of that name, when lower_dir */
	bool lower_dir, opaque, xwhiteouts;
} descend;

/* One entry the layer holds: reported, and *out says whether and how the
 * walk goes down into it. Kept out of diff_held's frame (noinline): its
 * locals (two stats, two walk entries, the record) would otherwise be on
 * the stack once per level of depth, which a 4096-deep tree overflowed
 * under ASan (hostile case deep-dirs). */
static __attribute__((noinline)) void held_entry(differ *d, int upfd, const char *path,
                                                  const item *it, const merge *lower,
                                                  bool xwh, const rawdir *raw, unsigned depth,
                                                  descend *out)
{
	un_rules rules = d->fs->rules;
	char rawname[300];
	if (it->aufs_wh)
		snprintf(rawname, sizeof rawname, AUFS_WH "%s", it->name);
	const char *rname = it->aufs_wh ? rawname : it->name;
	char *p = out->path = join(path, it->name);
	probe pr = {.fs = d->fs, .raw = raw, .name = it->name};
	un_node node = {.layer = (int)d->layer}, lnode;
	un_walk_entry before, now = {.path = p, .name = it->name, .node = &node, .dirfd = upfd,
	                             .at = rname};
	un_diff_ent ent = {.path = p, .depth = depth + 1, .probe = raw ? &pr : NULL};
	if (evh_fstatat(upfd, rname, &node.st, AT_SYMLINK_NOFOLLOW) < 0) {
		de_warn("%s: unreadable in layer %s: %s", p, un_layer_label(d->fs, (int)d->layer),
		        strerror(errno));
		return;
	}
	if (it->marker) {
		ent.kind = UN_MARKER;
		ent.now = &now;
		if (d->flags & UN_DIFF_MARKERS)
			report(d, &ent);
		return;
	}
	bool below = lower_entry(d, lower, p, it->name, &lnode, &out->lchild, &before);
	if (it->aufs_wh || rules_is_whiteout(rules, upfd, rname, &node.st, xwh)) {
		ent.kind = UN_DELETED;
		ent.whiteout = true;
		ent.now = &now;   /* the whiteout itself: when the deletion was made */
		ent.before = below ? &before : NULL;
		report(d, &ent);
		return;
	}
	node.metacopy = rules == UN_RULES_OVERLAY && ovl_is_metacopy(upfd, rname, &node.st);
	dir_marks dm = {0};
	if (S_ISDIR(node.st.st_mode) && depth + 1 < UN_MAX_DEPTH) {
		out->sub = open_dir_at(upfd, rname);
		if (out->sub < 0)
			de_warn("%s: unreadable in layer %s: %s", p, un_layer_label(d->fs, (int)d->layer),
			        strerror(errno));
		else
			rules_dir_marks(rules, out->sub, &dm);
		free(dm.redirect);
	}
	ent.kind = below ? UN_CHANGED : UN_ADDED;
	ent.now = &now;
	ent.before = below ? &before : NULL;
	ent.opaque = dm.opaque;
	report(d, &ent);
	if (S_ISDIR(node.st.st_mode) && depth + 1 >= UN_MAX_DEPTH)
		too_deep(p);
	out->lower_dir = below && S_ISDIR(lnode.st.st_mode);
	out->opaque = dm.opaque;
	out->xwhiteouts = dm.xwhiteouts;
}

/* One entry the layer holds, and what is below it. The frame of this
 * function is what each level of depth costs. */
static void diff_held(differ *d, int upfd, const char *path, const item *it, const merge *lower,
                      bool hide, const char *hider, bool xwh, const rawdir *raw, unsigned depth)
{
	descend ds = {.sub = -1};
	held_entry(d, upfd, path, it, lower, xwh, raw, depth, &ds);
	if (ds.sub >= 0 && !d->stopped) {
		rawdir craw = {0};
		if (raw)
			raw_child(d, raw, it->name, ds.path, &craw);
		/* below an opaque directory, every directory hides its lower content:
		 * the lookup stops at the opaque one (overlayfs' ovl_lookup) */
		diff_dir(d, ds.sub, ds.path, ds.lower_dir ? &ds.lchild : NULL, hide || ds.opaque,
		         ds.opaque ? ds.path : hider, ds.xwhiteouts, raw ? &craw : NULL, depth + 1);
		raw_free(&craw);
	}
	if (ds.sub >= 0)
		evh_close(ds.sub);
	merge_close(&ds.lchild);
	free(ds.path);
}

/* An entry below that the layer's opaque directory hides. */
static void diff_hidden(differ *d, const char *path, const item *it, const merge *lower,
                        const char *hider, unsigned depth)
{
	char *p = join(path, it->name);
	un_node lnode;
	merge lchild = {0};
	un_walk_entry before;
	if (lower_entry(d, lower, p, it->name, &lnode, &lchild, &before)) {
		un_diff_ent ent = {.kind = UN_DELETED, .path = p, .depth = depth + 1,
		                   .before = &before, .hidden_by = hider};
		report(d, &ent);
		if (S_ISDIR(lnode.st.st_mode) && depth + 1 >= UN_MAX_DEPTH)
			too_deep(p);
		else if (S_ISDIR(lnode.st.st_mode) && !d->stopped)
			report_hidden(d, &lchild, p, hider, depth + 1);
		merge_close(&lchild);
	}
	free(p);
}

static void diff_dir(differ *d, int upfd, const char *path, const merge *lower, bool hide,
                     const char *hider, bool xwh, const rawdir *raw, unsigned depth)
{
	item *v;
	size_t n;
	if (list_items(d, upfd, path, lower, hide, &v, &n) < 0) {
		de_warn("%s: unreadable in layer %s: %s", path, un_layer_label(d->fs, (int)d->layer),
		        strerror(errno));
		return;
	}
	for (size_t i = 0; i < n && !d->stopped; i++) {
		if (v[i].held)
			diff_held(d, upfd, path, &v[i], lower, hide, hider, xwh, raw, depth);
		else
			diff_hidden(d, path, &v[i], lower, hider, depth);
	}
	free_items(v, n);
}

int un_diff_walk(un_fs *fs, size_t layer, unsigned flags, un_diff_ent_fn fn, void *arg,
                 de_err *e)
{
	if (layer >= fs->nlayers)
		return de_fail(e, "no layer %zu", layer);
	differ d = {.fs = fs, .layer = layer, .flags = flags, .fn = fn, .arg = arg};
	merge lower = {0};
	bool have_lower = layer + 1 < fs->nlayers && fs->rules != UN_RULES_NONE &&
	                  merge_path_in_layers(fs, layer + 1, "/", &lower, NULL) == 0;
	int top = open_dir_at(fs->layers[layer].fd, ".");
	if (top < 0) {
		merge_close(&lower);
		return de_fail_errno(e, errno, "layer %s", fs->layers[layer].label);
	}
	rawdir raw = {0};
	if (flags & UN_DIFF_PROBE) {
		size_t nl = fs->rules == UN_RULES_NONE ? 0 : un_diff_lower_count(fs, layer);
		raw_alloc(&raw, nl);
		for (size_t k = 0; k < nl; k++) {
			raw.fd[k] = open_dir_at(fs->layers[layer + 1 + k].fd, ".");
			raw.state[k] = raw.fd[k] >= 0 ? RAW_DIR : RAW_ABSENT;
		}
	}
	dir_marks dm;
	rules_root_marks(fs->rules, top, &dm);   /* a root hides nothing below */
	diff_dir(&d, top, "/", have_lower ? &lower : NULL, false, NULL, dm.xwhiteouts,
	         (flags & UN_DIFF_PROBE) ? &raw : NULL, 0);
	raw_free(&raw);
	evh_close(top);
	merge_close(&lower);
	return d.stopped ? -1 : 0;
}

/* ---- the plain change list ------------------------------------------------- */

typedef struct plain {
	un_diff_fn fn;
	void *arg;
} plain;

static int plain_change(void *arg, const un_diff_ent *ent)
{
	plain *pl = arg;
	if (ent->kind == UN_MARKER || (ent->kind == UN_DELETED && !ent->before))
		return 0;   /* aufs' bookkeeping; a whiteout of nothing */
	return pl->fn(pl->arg, ent->kind, ent->path, ent->kind == UN_DELETED ? NULL : ent->now,
	              ent->before);
}

int un_diff_layer(un_fs *fs, size_t layer, un_diff_fn fn, void *arg, de_err *e)
{
	plain pl = {fn, arg};
	return un_diff_walk(fs, layer, 0, plain_change, &pl, e);
}

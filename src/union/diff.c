/*
 * diff.c — the changes one layer makes to the view of the layers below it,
 * as `docker diff` reports them for the container's layer:
 *   A  an entry the layers below do not have (and everything below a new
 *      directory);
 *   C  an entry that replaces one below (a directory is C when the layer
 *      holds it, as overlay copies up every parent of a change);
 *   D  a whiteout for an entry below, and every entry below an opaque
 *      directory that the layer does not hold itself.
 * The layer is read raw (its whiteouts are what is looked for); the layers
 * below are seen merged, through the engine's own lookups.
 */
#include "union_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"

typedef struct differ {
	un_fs *fs;
	size_t layer;
	un_diff_fn fn;
	void *arg;
	bool stopped;
} differ;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The raw names in a layer directory, sorted. */
static int raw_names(int dirfd, strvec *out)
{
	int fd = open_dir_at(dirfd, ".");
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL && out->n < 10000000u)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			sv_push(out, de->d_name);
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_name);
	return 0;
}

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
}

static void report(differ *d, un_change kind, const char *path, const un_walk_entry *now,
                   const un_walk_entry *before)
{
	if (!d->stopped && d->fn(d->arg, kind, path, now, before) < 0)
		d->stopped = true;
}

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

/* Every entry below the lower directory m that the layer does not hold
 * (upfd: the layer's directory at path, or -1): deleted by opacity. */
static void report_hidden(differ *d, const merge *m, int upfd, const char *path, unsigned depth)
{
	un_dir list;
	list_merge(d->fs, m, path, &list);
	for (size_t i = 0; i < list.n && !d->stopped; i++) {
		const char *name = list.v[i].name;
		char *p = join(path, name);
		struct stat ust;
		bool held = upfd >= 0 && fstatat(upfd, name, &ust, AT_SYMLINK_NOFOLLOW) == 0 &&
		            !rules_is_whiteout(d->fs->rules, upfd, name, &ust, false);
		un_node node;
		merge child = {0};
		un_walk_entry before;
		if (lower_entry(d, m, p, name, &node, &child, &before)) {
			if (!held)
				report(d, UN_DELETED, p, NULL, &before);
			if (S_ISDIR(node.st.st_mode) && depth >= UN_MAX_DEPTH)
				too_deep(p);
			else if (S_ISDIR(node.st.st_mode)) {
				int sub = held && S_ISDIR(ust.st_mode) ? open_dir_at(upfd, name) : -1;
				if (!held || sub >= 0)
					report_hidden(d, &child, sub, p, depth + 1);
				if (sub >= 0)
					close(sub);
			}
			merge_close(&child);
		}
		free(p);
	}
	un_dir_free(&list);
}

static void diff_dir(differ *d, int upfd, const char *path, const merge *lower, bool opaque,
                     bool xwh, unsigned depth)
{
	strvec names = {0};
	if (raw_names(upfd, &names) < 0) {
		de_warn("%s: unreadable in layer %s: %s", path, un_layer_label(d->fs, (int)d->layer),
		        strerror(errno));
		return;
	}
	un_rules rules = d->fs->rules;
	for (size_t i = 0; i < names.n && !d->stopped; i++) {
		const char *name = names.v[i];
		un_node lnode;
		merge lchild = {0};
		un_walk_entry before;
		if (rules == UN_RULES_AUFS && !strncmp(name, AUFS_WH, strlen(AUFS_WH))) {
			if (strncmp(name, AUFS_WH_META, strlen(AUFS_WH_META)) != 0) {
				const char *target = name + strlen(AUFS_WH);
				char *p = join(path, target);
				if (lower_entry(d, lower, p, target, &lnode, NULL, &before))
					report(d, UN_DELETED, p, NULL, &before);
				free(p);
			}
			continue;
		}
		if (rules == UN_RULES_AUFS && aufs_has_whiteout(upfd, name))
			continue;   /* hidden by its own branch's whiteout, as in the view */
		char *p = join(path, name);
		un_node node = {.layer = (int)d->layer};
		if (fstatat(upfd, name, &node.st, AT_SYMLINK_NOFOLLOW) < 0) {
			de_warn("%s: unreadable in layer %s: %s", p, un_layer_label(d->fs, (int)d->layer),
			        strerror(errno));
			free(p);
			continue;
		}
		bool below = lower_entry(d, lower, p, name, &lnode, &lchild, &before);
		if (rules_is_whiteout(rules, upfd, name, &node.st, xwh)) {
			if (below)
				report(d, UN_DELETED, p, NULL, &before);
			merge_close(&lchild);
			free(p);
			continue;
		}
		node.metacopy = rules == UN_RULES_OVERLAY && ovl_is_metacopy(upfd, name, &node.st);
		un_walk_entry now = {.path = p, .name = name, .node = &node, .dirfd = upfd, .at = name};
		report(d, below ? UN_CHANGED : UN_ADDED, p, &now, below ? &before : NULL);
		if (S_ISDIR(node.st.st_mode) && depth >= UN_MAX_DEPTH)
			too_deep(p);
		else if (S_ISDIR(node.st.st_mode)) {
			int sub = open_dir_at(upfd, name);
			if (sub < 0) {
				de_warn("%s: unreadable in layer %s: %s", p,
				        un_layer_label(d->fs, (int)d->layer), strerror(errno));
			} else {
				dir_marks dm;
				rules_dir_marks(rules, sub, &dm);
				free(dm.redirect);
				bool lower_dir = below && S_ISDIR(lnode.st.st_mode);
				diff_dir(d, sub, p, lower_dir ? &lchild : NULL, dm.opaque, dm.xwhiteouts,
				         depth + 1);
				close(sub);
			}
		}
		merge_close(&lchild);
		free(p);
	}
	if (opaque && lower && lower->n)
		report_hidden(d, lower, upfd, path, depth);
	sv_free(&names);
}

int un_diff_layer(un_fs *fs, size_t layer, un_diff_fn fn, void *arg, de_err *e)
{
	if (layer >= fs->nlayers)
		return de_fail(e, "no layer %zu", layer);
	differ d = {.fs = fs, .layer = layer, .fn = fn, .arg = arg};
	merge lower = {0};
	bool have_lower = layer + 1 < fs->nlayers && fs->rules != UN_RULES_NONE &&
	                  merge_path_in_layers(fs, layer + 1, "/", &lower, NULL) == 0;
	int top = open_dir_at(fs->layers[layer].fd, ".");
	if (top < 0) {
		merge_close(&lower);
		return de_fail_errno(e, errno, "layer %s", fs->layers[layer].label);
	}
	dir_marks dm;
	rules_root_marks(fs->rules, top, &dm);   /* a root hides nothing below */
	diff_dir(&d, top, "/", have_lower ? &lower : NULL, false, dm.xwhiteouts, 0);
	close(top);
	merge_close(&lower);
	return d.stopped ? -1 : 0;
}

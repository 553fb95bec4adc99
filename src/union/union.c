/*
 * union.c — the union engine. See union.h for the contract, rules.c for the
 * whiteout rules.
 *
 * The central object is a "merge": for one directory of the view, the
 * directories of the layers that contribute to it, top first, each open.
 * The merge of a child directory is found from its parent's merge by
 * looking the name up in each contributing layer, in order, until a layer
 * ends the search: a whiteout (the name is deleted below), a non-directory
 * (it hides everything below), or an opaque directory (the last one that
 * counts). Directories are listed by reading each contributing layer and
 * keeping the first occurrence of each name that no upper whiteout hides.
 */
#include "union_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/evh.h"
#include "../util/pathutil.h"

#include "rules.h"

/* ---- set-up ---------------------------------------------------------------- */

un_fs *un_new(un_rules rules)
{
	un_fs *fs = xcalloc(1, sizeof *fs);
	fs->rules = rules;
	return fs;
}

void un_add_layer(un_fs *fs, int dirfd, const char *label)
{
	fs->layers = xrealloc(fs->layers, (fs->nlayers + 1) * sizeof *fs->layers);
	fs->layers[fs->nlayers].fd = dirfd;
	fs->layers[fs->nlayers].label = xstrdup(label);
	fs->nlayers++;
}


void un_add_file_mount(un_fs *fs, const char *path, int dirfd, const char *name,
                       const char *label)
{
	fs->mounts = xrealloc(fs->mounts, (fs->nmounts + 1) * sizeof *fs->mounts);
	fs->mounts[fs->nmounts].path = de_path_clean(path);
	fs->mounts[fs->nmounts].fd = dirfd;
	fs->mounts[fs->nmounts].name = xstrdup(name);
	fs->mounts[fs->nmounts].label = xstrdup(label);
	fs->nmounts++;
}

void un_add_mount(un_fs *fs, const char *path, int dirfd, const char *label)
{
	un_add_file_mount(fs, path, dirfd, ".", label);
}

void un_free(un_fs *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->nlayers; i++) {
		if (fs->layers[i].fd >= 0)
			evh_close(fs->layers[i].fd);
		free(fs->layers[i].label);
	}
	for (size_t i = 0; i < fs->nmounts; i++) {
		evh_close(fs->mounts[i].fd);
		free(fs->mounts[i].path);
		free(fs->mounts[i].name);
		free(fs->mounts[i].label);
	}
	free(fs->layers);
	free(fs->mounts);
	free(fs);
}

void un_release_layers(un_fs *fs, size_t from)
{
	for (size_t i = from; i < fs->nlayers; i++)
		if (fs->layers[i].fd >= 0) {
			evh_close(fs->layers[i].fd);
			fs->layers[i].fd = -1;
		}
}

size_t un_layer_count(const un_fs *fs)
{
	return fs->nlayers + fs->nmounts;
}

const char *un_layer_label(const un_fs *fs, int layer)
{
	if (layer >= 0 && (size_t)layer < fs->nlayers)
		return fs->layers[layer].label;
	if (layer >= 0 && (size_t)layer < fs->nlayers + fs->nmounts)
		return fs->mounts[layer - (int)fs->nlayers].label;
	return "?";
}

/* ---- merges ---------------------------------------------------------------- */

void merge_add(merge *m, int layer, int fd, bool xwh)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 4;
		m->layer = xrealloc(m->layer, m->cap * sizeof *m->layer);
		m->fd = xrealloc(m->fd, m->cap * sizeof *m->fd);
		m->xwh = xrealloc(m->xwh, m->cap * sizeof *m->xwh);
	}
	m->layer[m->n] = layer;
	m->fd[m->n] = fd;
	m->xwh[m->n] = xwh;
	m->n++;
}

void merge_close(merge *m)
{
	for (size_t i = 0; i < m->n; i++)
		evh_close(m->fd[i]);
	free(m->layer);
	free(m->fd);
	free(m->xwh);
	memset(m, 0, sizeof *m);
}

int fd_of(const merge *m, int layer)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->layer[i] == layer)
			return m->fd[i];
	return -1;
}

/* Opens a directory of a layer: never through a symlink, never changing
 * its atime where the kernel lets us say so (as ev_open_dir_at, through
 * evh: a layer may lie in a disk image). */
int open_dir_at(int dirfd, const char *name)
{
	int fl = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = evh_openat(dirfd, name, fl | O_NOATIME);
	if (fd < 0 && errno == EPERM)   /* not the owner: the kernel refuses O_NOATIME */
		fd = evh_openat(dirfd, name, fl);
	return fd;
}

const struct un_mount *mount_at(const un_fs *fs, const char *path)
{
	for (size_t i = 0; i < fs->nmounts; i++)
		if (!strcmp(fs->mounts[i].path, path))
			return &fs->mounts[i];
	return NULL;
}

int mount_index(const un_fs *fs, const struct un_mount *mt)
{
	return (int)fs->nlayers + (int)(mt - fs->mounts);
}

int mount_stat(const struct un_mount *mt, struct stat *st)
{
	if (evh_fstatat(mt->fd, mt->name, st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (S_ISLNK(st->st_mode)) {   /* the caller was to resolve it */
		errno = ELOOP;
		return -1;
	}
	return 0;
}

/* The merge of a mount's root: its one directory, no rules. */
int merge_mount(const un_fs *fs, const struct un_mount *mt, merge *out, de_err *e)
{
	memset(out, 0, sizeof *out);
	out->rules = UN_RULES_NONE;
	int fd = open_dir_at(mt->fd, mt->name);
	if (fd < 0)
		return de_fail_errno(e, errno, "%s (%s)", mt->path, mt->label);
	merge_add(out, mount_index(fs, mt), fd, false);
	return 0;
}

static int merge_layers_root(const un_fs *fs, size_t from, merge *out, de_err *e);

/* The merge of the root of the view. */
int merge_root(const un_fs *fs, merge *out, de_err *e)
{
	const struct un_mount *mt = mount_at(fs, "/");
	if (mt)
		return merge_mount(fs, mt, out, e);
	if (!fs->nlayers)
		return de_fail(e, "a view with no layer");
	return merge_layers_root(fs, 0, out, e);
}

static int merge_layers_root(const un_fs *fs, size_t from, merge *out, de_err *e)
{
	memset(out, 0, sizeof *out);
	out->rules = fs->rules;
	size_t last = fs->rules == UN_RULES_NONE ? 1 : fs->nlayers;
	for (size_t i = from; i < fs->nlayers && i < last; i++) {
		int fd = open_dir_at(fs->layers[i].fd, ".");
		if (fd < 0) {
			de_fail_errno(e, errno, "/ (layer %s)", fs->layers[i].label);
			merge_close(out);
			return -1;
		}
		dir_marks dm;
		rules_root_marks(fs->rules, fd, &dm);   /* roots always merge */
		merge_add(out, (int)i, fd, dm.xwhiteouts);
	}
	return 0;
}


/*
 * Looks name up in the merge parent. On success fills node (the supplying
 * entry) and, when child is not NULL and the entry is a directory, child
 * (its merge). path is the child's path in the view, for messages and for
 * relative redirects. Returns 0, or -1 with ENOENT in e when not there.
 */
int lookup(const un_fs *fs, const merge *parent, const char *path, const char *name,
                  un_node *node, merge *child, de_err *e)
{
	bool found = false;
	char *redirect = NULL;
	int redirect_layer = -1;
	if (child) {
		memset(child, 0, sizeof *child);
		child->rules = parent->rules;
	}
	if (parent->rules == UN_RULES_AUFS && !strncmp(name, AUFS_WH, strlen(AUFS_WH)))
		goto done;   /* aufs' own names are never part of the view */
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		goto done;   /* not an entry name: looked up, it would leave the layer */
	for (size_t k = 0; k < parent->n; k++) {
		int dfd = parent->fd[k];
		struct stat st;
		/* aufs: .wh.<name> hides <name> below and in its own branch too
		 * (au_do_lookup: a whiteout found, the branch's own entry is
		 * taken as negative), should a branch hold both. */
		if (parent->rules == UN_RULES_AUFS && aufs_has_whiteout(dfd, name))
			break;
		if (evh_fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT && errno != ENOTDIR)
				de_warn("%s: unreadable in layer %s: %s", path,
				        un_layer_label(fs, parent->layer[k]), strerror(errno));
			continue;
		}
		if (rules_is_whiteout(parent->rules, dfd, name, &st, parent->xwh[k]))
			break;
		if (!found) {
			found = true;
			node->st = st;
			node->layer = parent->layer[k];
			node->metacopy = parent->rules == UN_RULES_OVERLAY && S_ISREG(st.st_mode) &&
			                 ovl_is_metacopy(dfd, name, &st);
		} else if (!S_ISDIR(st.st_mode)) {
			break;   /* a lower non-directory under a directory: hidden */
		}
		if (!S_ISDIR(st.st_mode) || !child)
			break;
		int cfd = open_dir_at(dfd, name);
		if (cfd < 0) {
			de_warn("%s: directory unreadable in layer %s: %s", path,
			        un_layer_label(fs, parent->layer[k]), strerror(errno));
			continue;
		}
		dir_marks dm;
		rules_dir_marks(parent->rules, cfd, &dm);
		merge_add(child, parent->layer[k], cfd, dm.xwhiteouts);
		if (dm.bad_redirect && !dm.opaque) {
			/* Where its lower content is cannot be told (the kernel
			 * fails the lookup): only this layer's is shown. */
			de_warn("%s: invalid overlay redirect in layer %s; not followed", path,
			        un_layer_label(fs, parent->layer[k]));
			break;
		}
		if (dm.redirect && !dm.opaque) {
			redirect = dm.redirect;
			redirect_layer = parent->layer[k];
			break;
		}
		free(dm.redirect);
		if (dm.opaque)
			break;
	}
	if (redirect) {
		/* The directory was renamed in this layer: its lower content is
		 * at the redirect path (absolute, or a name beside it). */
		char *target;
		if (redirect[0] == '/') {
			target = xstrdup(redirect);
		} else {
			const char *slash = strrchr(path, '/');
			target = xasprintf("%.*s/%s", (int)(slash - path), path, redirect);
		}
		merge lower;
		de_err le;
		if (merge_path_in_layers(fs, (size_t)redirect_layer + 1, target, &lower, &le) == 0) {
			for (size_t i = 0; i < lower.n; i++)
				merge_add(child, lower.layer[i], lower.fd[i], lower.xwh[i]);
			free(lower.layer);
			free(lower.fd);
			free(lower.xwh);
		}
		free(target);
		free(redirect);
	}
done:
	if (!found) {
		if (child)
			merge_close(child);
		errno = ENOENT;
		return de_fail(e, "%s: no such file or directory in the view", path);
	}
	/* known only when the merge was asked for */
	node->merged = child && child->rules == UN_RULES_OVERLAY && child->n >= 2;
	return 0;
}

/* The merge of a directory path (canonical, no symlinks) as seen by the
 * layers from index `from` down: used for overlay redirects. */
int merge_path_in_layers(const un_fs *fs, size_t from, const char *path, merge *out,
                         de_err *e)
{
	if (merge_layers_root(fs, from, out, e) < 0)
		return -1;
	char *copy = xstrdup(path), *save = NULL;
	dbuf sofar = {0};
	int rc = 0;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		db_adds(&sofar, "/");
		db_adds(&sofar, c);
		un_node node;
		merge child;
		if (lookup(fs, out, sofar.p, c, &node, &child, e) < 0) {
			rc = -1;
			break;
		}
		merge_close(out);
		*out = child;
		if (!S_ISDIR(node.st.st_mode)) {
			rc = de_fail(e, "%s: not a directory", sofar.p);
			break;
		}
	}
	if (rc < 0)
		merge_close(out);
	db_free(&sofar);
	free(copy);
	return rc;
}


un_fs *un_slice(const un_fs *fs, size_t from, size_t to, bool mounts)
{
	un_fs *out = un_new(fs->rules);
	for (size_t i = from; i < to && i < fs->nlayers; i++)
		un_add_layer(out, evh_dup(fs->layers[i].fd), fs->layers[i].label);
	for (size_t i = 0; mounts && i < fs->nmounts; i++)
		un_add_file_mount(out, fs->mounts[i].path, evh_dup(fs->mounts[i].fd), fs->mounts[i].name,
		                  fs->mounts[i].label);
	return out;
}

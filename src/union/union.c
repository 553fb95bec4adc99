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
#include "union.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "rules.h"

struct un_layer {
	int fd;
	char *label;
};

struct un_mount {
	char *path;        /* canonical, "/" + components, no trailing slash */
	int fd;
	char *label;
};

struct un_fs {
	un_rules rules;
	struct un_layer *layers;
	size_t nlayers;
	struct un_mount *mounts;
	size_t nmounts;
};

/* The contributing directories of one merged directory. */
typedef struct merge {
	size_t n, cap;
	int *layer;
	int *fd;
	bool *xwh;          /* overlay: this layer's directory may hold xattr whiteouts */
	un_rules rules;     /* a mount's tree has none */
} merge;

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

/* "/a//b/" -> "/a/b"; "" -> "/". */
static char *normalize(const char *path)
{
	dbuf b = {0};
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, "/");
		db_adds(&b, "/");
		db_add(&b, p, n);
		p += n;
	}
	if (!b.len)
		db_adds(&b, "/");
	return db_take(&b);
}

void un_add_mount(un_fs *fs, const char *path, int dirfd, const char *label)
{
	fs->mounts = xrealloc(fs->mounts, (fs->nmounts + 1) * sizeof *fs->mounts);
	fs->mounts[fs->nmounts].path = normalize(path);
	fs->mounts[fs->nmounts].fd = dirfd;
	fs->mounts[fs->nmounts].label = xstrdup(label);
	fs->nmounts++;
}

void un_free(un_fs *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->nlayers; i++) {
		close(fs->layers[i].fd);
		free(fs->layers[i].label);
	}
	for (size_t i = 0; i < fs->nmounts; i++) {
		close(fs->mounts[i].fd);
		free(fs->mounts[i].path);
		free(fs->mounts[i].label);
	}
	free(fs->layers);
	free(fs->mounts);
	free(fs);
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

static void merge_add(merge *m, int layer, int fd, bool xwh)
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

static void merge_close(merge *m)
{
	for (size_t i = 0; i < m->n; i++)
		close(m->fd[i]);
	free(m->layer);
	free(m->fd);
	free(m->xwh);
	memset(m, 0, sizeof *m);
}

static int fd_of(const merge *m, int layer)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->layer[i] == layer)
			return m->fd[i];
	return -1;
}

/* Opens a directory of a layer: never through a symlink, never changing
 * its atime where the kernel lets us say so. */
static int open_dir_at(int dirfd, const char *name)
{
	int fl = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, name, fl | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, name, fl);
	return fd;
}

static const struct un_mount *mount_at(const un_fs *fs, const char *path)
{
	for (size_t i = 0; i < fs->nmounts; i++)
		if (!strcmp(fs->mounts[i].path, path))
			return &fs->mounts[i];
	return NULL;
}

static int mount_index(const un_fs *fs, const struct un_mount *mt)
{
	return (int)fs->nlayers + (int)(mt - fs->mounts);
}

/* The merge of a mount's root: its one directory, no rules. */
static int merge_mount(const un_fs *fs, const struct un_mount *mt, merge *out, de_err *e)
{
	memset(out, 0, sizeof *out);
	out->rules = UN_RULES_NONE;
	int fd = open_dir_at(mt->fd, ".");
	if (fd < 0)
		return de_fail_errno(e, errno, "%s (%s)", mt->path, mt->label);
	merge_add(out, mount_index(fs, mt), fd, false);
	return 0;
}

static int merge_layers_root(const un_fs *fs, size_t from, merge *out, de_err *e);

/* The merge of the root of the view. */
static int merge_root(const un_fs *fs, merge *out, de_err *e)
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
		rules_dir_marks(fs->rules, fd, &dm);
		free(dm.redirect);
		merge_add(out, (int)i, fd, dm.xwhiteouts);
		if (dm.opaque)
			break;
	}
	return 0;
}

static int merge_path_in_layers(const un_fs *fs, size_t from, const char *path, merge *out,
                                de_err *e);

/*
 * Looks name up in the merge parent. On success fills node (the supplying
 * entry) and, when child is not NULL and the entry is a directory, child
 * (its merge). path is the child's path in the view, for messages and for
 * relative redirects. Returns 0, or -1 with ENOENT in e when not there.
 */
static int lookup(const un_fs *fs, const merge *parent, const char *path, const char *name,
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
	for (size_t k = 0; k < parent->n; k++) {
		int dfd = parent->fd[k];
		struct stat st;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT && errno != ENOTDIR)
				de_warn("%s: unreadable in layer %s: %s", path,
				        un_layer_label(fs, parent->layer[k]), strerror(errno));
			if (parent->rules == UN_RULES_AUFS && aufs_has_whiteout(dfd, name))
				break;
			continue;
		}
		if (rules_is_whiteout(parent->rules, dfd, name, &st, parent->xwh[k]))
			break;
		if (!found) {
			found = true;
			node->st = st;
			node->layer = parent->layer[k];
			node->metacopy = parent->rules == UN_RULES_OVERLAY && S_ISREG(st.st_mode) &&
			                 ovl_is_metacopy(dfd, name);
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
	return 0;
}

/* The merge of a directory path (canonical, no symlinks) as seen by the
 * layers from index `from` down: used for overlay redirects. */
static int merge_path_in_layers(const un_fs *fs, size_t from, const char *path, merge *out,
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

/* ---- path resolution ------------------------------------------------------- */

/* Where a path of the view leads. */
typedef struct loc {
	char *path;        /* canonical */
	un_node node;
	merge parent;      /* merge of the containing directory (empty for the root) */
	int efd;           /* directory holding the entry, and its name there: */
	char *ename;       /* what fstatat/openat/xattrs are done on */
	merge self;        /* the entry's own merge, when asked and a directory */
} loc;

static void loc_free(loc *l)
{
	free(l->path);
	free(l->ename);
	merge_close(&l->parent);
	merge_close(&l->self);
}

/* Pushes the components of p onto the stack, so that they pop in order. */
static void push_components(strvec *stack, const char *p)
{
	strvec tmp = {0};
	char *copy = xstrdup(p), *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save))
		sv_push(&tmp, c);
	for (size_t i = tmp.n; i-- > 0;) {
		sv_push_own(stack, tmp.v[i]);
		tmp.v[i] = NULL;
	}
	free(tmp.v);
	free(copy);
}

static char *pop(strvec *stack)
{
	return stack->n ? stack->v[--stack->n] : NULL;
}

static int resolve(un_fs *fs, const char *path, bool follow_last, bool want_self, loc *out,
                   de_err *e);

/* The merge of a canonical directory path. */
static int merge_of(un_fs *fs, const char *path, merge *out, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, true, &l, e) < 0)
		return -1;
	*out = l.self;
	memset(&l.self, 0, sizeof l.self);
	loc_free(&l);
	if (!out->n)
		return de_fail(e, "%s: not a directory", path);
	return 0;
}

static void set_root(un_fs *fs, merge *cur, loc *out)
{
	out->path = xstrdup("/");
	out->efd = cur->fd[0];
	out->ename = xstrdup(".");
	fstat(cur->fd[0], &out->node.st);
	out->node.layer = cur->layer[0];
	out->node.metacopy = false;
	(void)fs;
}

static int resolve(un_fs *fs, const char *path, bool follow_last, bool want_self, loc *out,
                   de_err *e)
{
	memset(out, 0, sizeof *out);
	strvec stack = {0};
	merge cur;
	dbuf cp = {0};          /* canonical path so far; empty = the root */
	int links = 0, rc = 0;
	if (strlen(path) > UN_MAX_PATH)
		return de_fail(e, "path longer than %d bytes", UN_MAX_PATH);
	if (merge_root(fs, &cur, e) < 0)
		return -1;
	push_components(&stack, path);
	char *c;
	while ((c = pop(&stack)) != NULL) {
		if (!strcmp(c, ".")) {
			free(c);
			continue;
		}
		if (!strcmp(c, "..")) {   /* never above the root */
			free(c);
			char *slash = cp.len ? strrchr(cp.p, '/') : NULL;
			if (!slash)
				continue;
			cp.len = (size_t)(slash - cp.p);
			cp.p[cp.len] = '\0';
			merge_close(&cur);
			if ((cp.len ? merge_of(fs, cp.p, &cur, e) : merge_root(fs, &cur, e)) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		char *child_path = xasprintf("%s/%s", cp.len ? cp.p : "", c);
		bool last = stack.n == 0;
		const struct un_mount *mt = mount_at(fs, child_path);
		un_node node;
		merge child = {0};
		if (mt) {
			if (merge_mount(fs, mt, &child, e) < 0) {
				free(child_path);
				free(c);
				rc = -1;
				break;
			}
			fstat(child.fd[0], &node.st);
			node.layer = child.layer[0];
			node.metacopy = false;
		} else if (lookup(fs, &cur, child_path, c, &node, &child, e) < 0) {
			free(child_path);
			free(c);
			rc = -1;
			break;
		}
		if (S_ISLNK(node.st.st_mode) && (!last || follow_last)) {
			char target[4096];
			ssize_t n = readlinkat(fd_of(&cur, node.layer), c, target, sizeof target - 1);
			merge_close(&child);
			free(c);
			if (n < 0 || ++links > UN_MAX_LINKS) {
				rc = de_fail(e, "%s: %s", child_path,
				             n < 0 ? strerror(errno) : "too many levels of symbolic links");
				free(child_path);
				break;
			}
			free(child_path);
			target[n] = '\0';
			push_components(&stack, target);
			if (target[0] == '/') {   /* absolute: from the view's root */
				cp.len = 0;
				if (cp.p)
					cp.p[0] = '\0';
				merge_close(&cur);
				if (merge_root(fs, &cur, e) < 0) {
					rc = -1;
					break;
				}
			}
			continue;
		}
		if (!last) {
			if (!S_ISDIR(node.st.st_mode)) {
				rc = de_fail(e, "%s: not a directory", child_path);
				merge_close(&child);
				free(child_path);
				free(c);
				break;
			}
			merge_close(&cur);
			cur = child;
			db_adds(&cp, "/");
			db_adds(&cp, c);
			free(child_path);
			free(c);
			continue;
		}
		out->path = child_path;
		out->node = node;
		if (mt) {
			out->efd = child.fd[0];
			out->ename = xstrdup(".");
			merge_close(&cur);
		} else {
			out->efd = fd_of(&cur, node.layer);
			out->ename = c;
			c = NULL;
			out->parent = cur;
		}
		if (want_self && S_ISDIR(node.st.st_mode))
			out->self = child;
		else if (!mt)
			merge_close(&child);
		else
			out->parent = child;   /* keeps the mount's fd (efd) open */
		free(c);
		goto done;
	}
	if (rc == 0) {   /* the path named the root itself */
		if (cp.len) {   /* ".." and links can end on a directory */
			char *p = db_take(&cp);
			merge_close(&cur);
			rc = resolve(fs, p, follow_last, want_self, out, e);
			free(p);
			goto done;
		}
		set_root(fs, &cur, out);
		out->self = cur;
		memset(&cur, 0, sizeof cur);
		if (!want_self) {
			out->parent = out->self;   /* keeps efd open */
			memset(&out->self, 0, sizeof out->self);
		}
	} else {
		merge_close(&cur);
	}
done:
	while ((c = pop(&stack)) != NULL)
		free(c);
	free(stack.v);
	db_free(&cp);
	return rc;
}

int un_stat(un_fs *fs, const char *path, bool follow, un_node *out, de_err *e)
{
	loc l;
	if (resolve(fs, path, follow, false, &l, e) < 0)
		return -1;
	*out = l.node;
	loc_free(&l);
	return 0;
}

char *un_realpath(un_fs *fs, const char *path, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, false, &l, e) < 0)
		return NULL;
	char *p = l.path;
	l.path = NULL;
	loc_free(&l);
	return p;
}

static char *readlink_at(int dirfd, const char *name, const char *path, de_err *e)
{
	char buf[4096];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof buf - 1);
	if (n < 0) {
		de_fail_errno(e, errno, "%s", path);
		return NULL;
	}
	buf[n] = '\0';
	return xstrdup(buf);
}

char *un_readlink(un_fs *fs, const char *path, de_err *e)
{
	loc l;
	if (resolve(fs, path, false, false, &l, e) < 0)
		return NULL;
	char *t = S_ISLNK(l.node.st.st_mode) ? readlink_at(l.efd, l.ename, l.path, e) : NULL;
	if (!S_ISLNK(l.node.st.st_mode))
		de_fail(e, "%s: not a symbolic link", l.path);
	loc_free(&l);
	return t;
}

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

/* Reads one layer's directory into ns; its whiteouts hide names only in
 * the layers below it, so they are added after the layer is read. */
static void read_layer_dir(const un_fs *fs, const merge *m, size_t k, const char *path,
                           nameset *ns)
{
	int fd = open_dir_at(m->fd[k], ".");
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		de_warn("%s: directory unreadable in layer %s: %s", path,
		        un_layer_label(fs, m->layer[k]), strerror(errno));
		return;
	}
	strvec wh = {0};
	struct dirent *de;
	size_t count = 0;
	while ((de = readdir(d)) != NULL) {
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
			if (fstatat(m->fd[k], name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
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
		ns_add(ns, name, m->layer[k], type);
	}
	closedir(d);
	for (size_t i = 0; i < wh.n; i++)
		ns_add(ns, wh.v[i], -1, DT_UNKNOWN);
	sv_free(&wh);
}

/* The merged listing of the directory whose merge is m, at path. */
static void list_merge(const un_fs *fs, const merge *m, const char *path, un_dir *out)
{
	nameset ns = {0};
	for (size_t k = 0; k < m->n; k++)
		read_layer_dir(fs, m, k, path, &ns);
	/* Volumes and binds show at their mount points, whatever is below. */
	size_t plen = strlen(path);
	for (size_t i = 0; i < fs->nmounts; i++) {
		const char *mp = fs->mounts[i].path;
		const char *slash = strrchr(mp, '/');
		size_t parent_len = (size_t)(slash - mp);
		if (slash[1] && parent_len == (plen == 1 ? 0 : plen) && !strncmp(mp, path, parent_len)) {
			size_t at = ns.nslot ? ns_find(&ns, slash + 1) : 0;
			if (ns.nslot && ns.slot[at]) {
				ns.v[ns.slot[at] - 1].layer = mount_index(fs, &fs->mounts[i]);
				ns.v[ns.slot[at] - 1].type = DT_DIR;
			} else {
				ns_add(&ns, slash + 1, mount_index(fs, &fs->mounts[i]), DT_DIR);
			}
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < ns.n; i++) {
		if (ns.v[i].layer < 0)
			free(ns.v[i].name);
		else
			ns.v[n++] = ns.v[i];
	}
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
	const char *at = mt ? "." : d->name;
	if (dirfd < 0 || fstatat(dirfd, at, &node.st, AT_SYMLINK_NOFOLLOW) < 0) {
		de_warn("%s: unreadable in layer %s: %s", cpath, un_layer_label(fs, d->layer),
		        strerror(errno));
		free(cpath);
		return;
	}
	node.metacopy = !mt && m->rules == UN_RULES_OVERLAY && S_ISREG(node.st.st_mode) &&
	                ovl_is_metacopy(dirfd, at);
	un_walk_entry ent = {.path = cpath, .name = d->name, .node = &node, .dirfd = dirfd,
	                     .at = at};
	int r = w->fn(w->arg, &ent);
	if (r < 0) {
		w->stopped = true;
	} else if (r == 0 && S_ISDIR(node.st.st_mode)) {
		merge child;
		de_err e;
		un_node again;
		int rc = mt ? merge_mount(fs, mt, &child, &e)
		            : lookup(fs, m, cpath, d->name, &again, &child, &e);
		if (rc < 0)
			de_warn("%s", e.msg);
		else if (depth + 1 >= UN_MAX_DEPTH)
			de_warn("%s: deeper than %d directories; its content is not listed", cpath,
			        UN_MAX_DEPTH);
		else
			walk_dir(w, &child, cpath, depth + 1);
		if (rc == 0)
			merge_close(&child);
	}
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

/* ---- content and xattrs -------------------------------------------------------- */

static int open_file_at(int dirfd, const char *name)
{
	int fl = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	int fd = openat(dirfd, name, fl | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, name, fl);
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Opens path (canonical) inside one layer alone, never through a symlink. */
static int open_in_layer(int layerfd, const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *prev = NULL;
	int fd = dup(layerfd), err = 0;
	for (char *c = strtok_r(copy, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		if (prev) {
			int nfd = open_dir_at(fd, prev);
			err = errno;
			close(fd);
			fd = nfd;
		}
		prev = c;
	}
	int res = -1;
	if (fd >= 0 && prev) {
		res = open_file_at(fd, prev);
		err = errno;
	}
	if (fd >= 0)
		close(fd);
	free(copy);
	errno = err;
	return res;
}

/* overlay metacopy: the data is in the next layer below that has the file
 * (at its redirect path, when the copy-up recorded one) with data. */
static int open_metacopy_data(un_fs *fs, const char *path, int layer, int dirfd,
                              const char *name, de_err *e)
{
	char redirect[4096];
	ssize_t n = ovl_getxattr_at(dirfd, name, "redirect", redirect, sizeof redirect - 1);
	const char *where = path;
	if (n > 0 && redirect[0] == '/') {
		redirect[n] = '\0';
		where = redirect;
	}
	for (size_t j = (size_t)layer + 1; j < fs->nlayers; j++) {
		int fd = open_in_layer(fs->layers[j].fd, where);
		if (fd < 0)
			continue;
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			char v[64];
			if (fgetxattr(fd, OVL_TRUSTED "metacopy", v, sizeof v) < 0 &&
			    fgetxattr(fd, OVL_USER "metacopy", v, sizeof v) < 0)
				return fd;
		}
		close(fd);
	}
	return de_fail(e, "%s: metadata-only copy (metacopy) whose data is in no lower layer",
	               path);
}

int un_open(un_fs *fs, const char *path, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, false, &l, e) < 0)
		return -1;
	int fd;
	if (!S_ISREG(l.node.st.st_mode))
		fd = de_fail(e, "%s: not a regular file", l.path);
	else if (l.node.metacopy)
		fd = open_metacopy_data(fs, l.path, l.node.layer, l.efd, l.ename, e);
	else if ((fd = open_file_at(l.efd, l.ename)) < 0)
		de_fail_errno(e, errno, "%s (layer %s)", l.path, un_layer_label(fs, l.node.layer));
	loc_free(&l);
	return fd;
}

int un_walk_open(un_fs *fs, const un_walk_entry *ent, de_err *e)
{
	if (ent->node->metacopy)
		return open_metacopy_data(fs, ent->path, ent->node->layer, ent->dirfd, ent->at, e);
	int fd = open_file_at(ent->dirfd, ent->at);
	if (fd < 0)
		de_fail_errno(e, errno, "%s (layer %s)", ent->path,
		              un_layer_label(fs, ent->node->layer));
	return fd;
}

char *un_walk_readlink(const un_walk_entry *ent, de_err *e)
{
	return readlink_at(ent->dirfd, ent->at, ent->path, e);
}

#define XATTR_LIST_MAX_BYTES 65536

static int list_xattrs(int dirfd, const char *name, const char *path, strvec *out, de_err *e)
{
	char *buf = xmalloc(XATTR_LIST_MAX_BYTES);
	ssize_t n = xattr_list_at(dirfd, name, buf, XATTR_LIST_MAX_BYTES);
	if (n < 0) {
		int err = errno;
		free(buf);
		if (err == ENOTSUP || err == ENODATA)
			return 0;
		return de_fail_errno(e, err, "%s: xattrs", path);
	}
	for (ssize_t i = 0; i < n;) {
		const char *a = buf + i;
		size_t len = strnlen(a, (size_t)(n - i));
		if (len && !xattr_is_overlay(a))
			sv_push(out, a);
		i += (ssize_t)len + 1;
	}
	free(buf);
	sv_sort(out);
	return 0;
}

static void *get_xattr(int dirfd, const char *name, const char *path, const char *attr,
                       size_t *len, de_err *e)
{
	if (xattr_is_overlay(attr)) {
		de_fail(e, "%s: %s: no such attribute", path, attr);
		return NULL;
	}
	ssize_t n = xattr_get_at(dirfd, name, attr, NULL, 0);
	if (n < 0 || n > XATTR_LIST_MAX_BYTES) {
		de_fail_errno(e, n < 0 ? errno : E2BIG, "%s: %s", path, attr);
		return NULL;
	}
	char *v = xmalloc((size_t)n + 1);
	n = xattr_get_at(dirfd, name, attr, v, (size_t)n);
	if (n < 0) {
		de_fail_errno(e, errno, "%s: %s", path, attr);
		free(v);
		return NULL;
	}
	*len = (size_t)n;
	return v;
}

int un_walk_listxattr(un_fs *fs, const un_walk_entry *ent, strvec *names, de_err *e)
{
	(void)fs;
	return list_xattrs(ent->dirfd, ent->at, ent->path, names, e);
}

void *un_walk_getxattr(const un_walk_entry *ent, const char *name, size_t *len, de_err *e)
{
	return get_xattr(ent->dirfd, ent->at, ent->path, name, len, e);
}

int un_listxattr(un_fs *fs, const char *path, strvec *names, de_err *e)
{
	loc l;
	if (resolve(fs, path, false, false, &l, e) < 0)
		return -1;
	int rc = list_xattrs(l.efd, l.ename, l.path, names, e);
	loc_free(&l);
	return rc;
}

void *un_getxattr(un_fs *fs, const char *path, const char *name, size_t *len, de_err *e)
{
	loc l;
	if (resolve(fs, path, false, false, &l, e) < 0)
		return NULL;
	void *v = get_xattr(l.efd, l.ename, l.path, name, len, e);
	loc_free(&l);
	return v;
}

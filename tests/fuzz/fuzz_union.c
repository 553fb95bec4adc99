/* Fuzz target: the union engine (the union/ modules), driven by a fuzzed stack of
 * layers. The input is decoded into at most 4 layers of at most 64
 * entries, paths at most 8 deep over a small name pool (with aufs' .wh.
 * names in it), which are created in a fresh directory: directories,
 * files, symlinks, and the markers of the rules — overlay whiteouts (0/0
 * character devices; zero-size files with overlay.whiteout in a directory
 * marked opaque "x"), opaque directories ("y"), redirects, metacopy files;
 * aufs .wh.<name> whiteouts and .wh..wh..opq markers. The engine then
 * walks, lists and resolves the view, and these must hold:
 *  - no crash, no sanitizer report, no descriptor leaked;
 *  - nothing from outside the layers is seen: not the directory holding
 *    them, not the file beside them (redirects of ".." and "/../outside");
 *  - every walked path is found again by un_stat, from the same layer,
 *    and every name a listing gives too;
 *  - un_realpath gives a canonical path inside the view ("/" + names,
 *    no "." or ".."), which names what following the path names;
 *  - a file's content is that of the layer the view says supplies it;
 *  - overlay's own xattrs are never shown;
 *  - the walk equals a reference model of the rules written here,
 *    independently of the engine (redirects left out of the comparison).
 *
 * With DE_FUZZ_KERNEL=1 in the environment (root, a kernel with overlayfs;
 * tests/fuzz/kernel.sh), each overlay input is also mounted by the kernel,
 * the oracle, and the view must list what the mount lists.
 *
 * Input: byte 0: rules (bits 0-1: overlay, aufs, none), layers - 1 (bits
 * 2-3), a volume mounted at /a (bit 4), every layer's root marked opaque
 * (bit 5), a file mounted at /b (bit 6), a file mounted at /a/c (bit 7:
 * inside the volume with bit 4). Then 5-byte entries: layer (bits
 * 0-1), kind (bits 2-4), symlink or redirect target (bits 5-7); depth - 1
 * (bits 0-2); then eight 3-bit name indices. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "union/union.h"

#include "fuzz_fs.h"

#define MAXL 4
#define MAXE 64
#define MAXD 8
#define MAXN 1024

static const char *const names[8] = {"a", "b", "c", "d", ".wh.a", ".wh..wh..opq", "e", ".wh.b"};
/* (the last names a file beside the layers: outside, never to be seen) */
static const char *const targets[8] = {"a", "/a", "../b", "/a/b/c", "..", "/", "c/../../d",
                                       "/../outside"};

enum kind { K_DIR, K_FILE, K_LINK, K_CHR, K_XWH, K_META, K_REDIR };
enum { R_OVERLAY, R_AUFS, R_NONE };

typedef struct node {
	char name[24];
	enum kind kind;
	int target;        /* K_LINK, K_REDIR: index in targets */
	char opq;          /* directories: overlay.opaque 'y', 'x' or 0 */
	bool xattr_ok;     /* the kind's xattr could be set */
	int first, next;   /* children, siblings: node indices, -1 = none */
} node;

typedef struct model {
	int rules, nlayers;
	bool mount, redirects;   /* redirects: no comparison with the model */
	bool fmount_b, fmount_c; /* files mounted at /b, /a/c */
	node n[MAXN];
	int nn;
	int root[MAXL];
} model;

static bool is_dir(const node *x)
{
	return x->kind == K_DIR || x->kind == K_REDIR;
}

static int new_node(model *m, int parent, const char *name, enum kind kind)
{
	if (m->nn >= MAXN)
		return -1;
	node *x = &m->n[m->nn];
	memset(x, 0, sizeof *x);
	snprintf(x->name, sizeof x->name, "%s", name);
	x->kind = kind;
	x->first = x->next = -1;
	if (parent >= 0) {
		x->next = m->n[parent].first;
		m->n[parent].first = m->nn;
	}
	return m->nn++;
}

static int child(const model *m, int dir, const char *name)
{
	for (int c = m->n[dir].first; c >= 0; c = m->n[c].next)
		if (!strcmp(m->n[c].name, name))
			return c;
	return -1;
}

/* One entry: its parents made as plain directories where missing; an
 * entry on a path through a non-directory, or already there, is dropped
 * (an opaque marker on an existing directory is still set). */
static void add_entry(model *m, const uint8_t *e)
{
	int layer = (e[0] & 3) % m->nlayers, kind = (e[0] >> 2) & 7, tgt = e[0] >> 5;
	int depth = (e[1] & 7) + 1;
	uint32_t bits = (uint32_t)e[2] | (uint32_t)e[3] << 8 | (uint32_t)e[4] << 16;
	int dir = m->root[layer];
	for (int i = 0; i < depth; i++) {
		const char *nm = names[(bits >> (3 * i)) & 7];
		int c = child(m, dir, nm);
		if (i + 1 < depth) {
			if (c < 0)
				c = new_node(m, dir, nm, K_DIR);
			if (c < 0 || !is_dir(&m->n[c]))
				return;
			dir = c;
			continue;
		}
		if (c >= 0) {
			if (kind == 4 && m->rules == R_OVERLAY && is_dir(&m->n[c]))
				m->n[c].opq = 'y';
			return;
		}
		int x;
		switch (kind) {
		case 0: new_node(m, dir, nm, K_DIR); break;
		case 1: new_node(m, dir, nm, K_FILE); break;
		case 2:
			if ((x = new_node(m, dir, nm, K_LINK)) >= 0)
				m->n[x].target = tgt;
			break;
		case 3:
			if (m->rules == R_AUFS) {
				char wh[24];
				snprintf(wh, sizeof wh, ".wh.%s", nm);
				if (child(m, dir, wh) < 0)
					new_node(m, dir, wh, K_FILE);
			} else {
				new_node(m, dir, nm, K_CHR);
			}
			break;
		case 4:
			if ((x = new_node(m, dir, nm, K_DIR)) >= 0 && m->rules == R_OVERLAY)
				m->n[x].opq = 'y';
			else if (x >= 0 && m->rules == R_AUFS)
				new_node(m, x, ".wh..wh..opq", K_FILE);
			break;
		case 5:
			if (m->rules != R_OVERLAY) {
				new_node(m, dir, nm, K_FILE);
			} else if (new_node(m, dir, nm, K_XWH) >= 0 && !m->n[dir].opq) {
				m->n[dir].opq = 'x';
			}
			break;
		case 6:
			if ((x = new_node(m, dir, nm, m->rules == R_OVERLAY ? K_REDIR : K_DIR)) >= 0) {
				m->n[x].target = tgt;
				m->redirects |= m->rules == R_OVERLAY;
			}
			break;
		default:
			if ((x = new_node(m, dir, nm, m->rules == R_OVERLAY ? K_META : K_FILE)) >= 0)
				m->n[x].target = tgt;
			break;
		}
		return;
	}
}

static bool set_ovl(int dirfd, const char *name, const char *attr, const char *v)
{
	char a[64], p[64];
	snprintf(a, sizeof a, "trusted.overlay.%s", attr);
	snprintf(p, sizeof p, "/proc/self/fd/%d/%s", dirfd, name);
	return lsetxattr(p, a, v, strlen(v), 0) == 0;
}

/* Creates node x (and below) in dirfd; returns false when it cannot be
 * made as the model says (mknod refused: no CAP_MKNOD). */
static bool make(model *m, int dirfd, int x, int layer)
{
	node *nd = &m->n[x];
	char content[16];
	int fd, len = snprintf(content, sizeof content, "L%d\n", layer);
	nd->xattr_ok = true;
	switch (nd->kind) {
	case K_DIR:
	case K_REDIR:
		if (mkdirat(dirfd, nd->name, 0755) < 0)
			return false;
		if ((fd = openat(dirfd, nd->name, O_RDONLY | O_DIRECTORY)) < 0)
			return false;
		for (int c = nd->first; c >= 0; c = m->n[c].next)
			if (!make(m, fd, c, layer)) {
				close(fd);
				return false;
			}
		close(fd);
		if (nd->opq && !set_ovl(dirfd, nd->name, "opaque", nd->opq == 'y' ? "y" : "x"))
			nd->opq = 0;
		if (nd->kind == K_REDIR)
			nd->xattr_ok = set_ovl(dirfd, nd->name, "redirect", targets[nd->target]);
		return true;
	case K_LINK:
		return symlinkat(targets[nd->target], dirfd, nd->name) == 0;
	case K_CHR:
		return mknodat(dirfd, nd->name, S_IFCHR | 0600, makedev(0, 0)) == 0;
	default:
		if ((fd = openat(dirfd, nd->name, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
			return false;
		if (nd->kind == K_FILE && write(fd, content, (size_t)len) != len)
			nd->xattr_ok = false;
		if (nd->kind == K_META && ftruncate(fd, 4096) < 0)
			nd->xattr_ok = false;
		close(fd);
		if (nd->kind == K_XWH)
			nd->xattr_ok = set_ovl(dirfd, nd->name, "whiteout", "y");
		if (nd->kind == K_META)
			nd->xattr_ok = set_ovl(dirfd, nd->name, "metacopy", "") &&
			               (targets[nd->target][0] != '/' ||
			                set_ovl(dirfd, nd->name, "redirect", targets[nd->target]));
		return nd->xattr_ok;
	}
}

/* ---- the reference model of the rules --------------------------------- */

typedef struct seen {
	char *v[4096];
	int n;
} seen;

static void seen_add(seen *s, const char *path, char type, int layer)
{
	if (s->n < 4096)
		s->v[s->n++] = xasprintf("%s %c %d", path, type, layer);
}

static char type_of_node(const node *x)
{
	return is_dir(x) ? 'd' : x->kind == K_LINK ? 'l' : x->kind == K_CHR ? 'c' : 'f';
}

static bool whiteout(const model *m, int parent, int x)
{
	if (m->rules != R_OVERLAY)
		return false;
	return m->n[x].kind == K_CHR ||
	       (m->n[x].kind == K_XWH && m->n[x].xattr_ok && m->n[parent].opq == 'x');
}

static bool opaque(const model *m, int dir)
{
	if (m->rules == R_AUFS)
		return child(m, dir, ".wh..wh..opq") >= 0;
	return m->rules == R_OVERLAY && m->n[dir].opq == 'y';
}

/* The merged directory at path, whose contributing directories are
 * dirs[k] of layers[k], top first: lists it into s, then its children.
 * Overlay and aufs as the kernel has them: the first layer with the name
 * supplies it unless that is a whiteout (or, aufs, a .wh.<name> beside
 * it, which hides the name in its own layer too); a directory merges with the same directory below
 * until a non-directory, a whiteout or an opaque directory. */
static void model_dir(const model *m, const int *dirs, const int *layers, int nd,
                      const char *path, int depth, seen *s)
{
	const char *done[MAXN];
	int ndone = 0;
	for (int k = 0; k < nd; k++)
		for (int c = m->n[dirs[k]].first; c >= 0; c = m->n[c].next) {
			const char *nm = m->n[c].name;
			bool dup = false;
			for (int i = 0; i < ndone && !dup; i++)
				dup = !strcmp(done[i], nm);
			if (dup || (m->rules == R_AUFS && !strncmp(nm, ".wh.", 4)))
				continue;
			done[ndone++] = nm;
			int sub[MAXL], subl[MAXL], ns = 0, found = -1, flayer = -1;
			for (int j = 0; j < nd; j++) {
				int x = child(m, dirs[j], nm);
				char wh[32];
				snprintf(wh, sizeof wh, ".wh.%s", nm);
				if (m->rules == R_AUFS && child(m, dirs[j], wh) >= 0)
					break;   /* hidden here and below (aufs' au_do_lookup) */
				if (x < 0)
					continue;
				if (whiteout(m, dirs[j], x))
					break;
				if (found >= 0 && !is_dir(&m->n[x]))
					break;
				if (found < 0) {
					found = x;
					flayer = layers[j];
				}
				if (!is_dir(&m->n[x]))
					break;
				sub[ns] = x;
				subl[ns++] = layers[j];
				if (opaque(m, x))
					break;
			}
			if (found < 0)
				continue;
			char *cpath = xasprintf("%s/%s", strcmp(path, "/") ? path : "", nm);
			if (!(m->mount && !strcmp(cpath, "/a"))) {
				seen_add(s, cpath, type_of_node(&m->n[found]), flayer);
				if (ns && depth < MAXD + 2)
					model_dir(m, sub, subl, ns, cpath, depth + 1, s);
			}
			free(cpath);
		}
}

/* Is seen entry ent ("path type layer") at path, or below it? */
static bool seen_at(const char *ent, const char *path, bool below)
{
	size_t n = strlen(path);
	return !strncmp(ent, path, n) && (ent[n] == ' ' || (below && ent[n] == '/'));
}

/* A file mounted at path (a bind mount of a file): what the view had at
 * path and below is gone, and the file is there when its parent is a
 * directory of the view (a mount point is reached through its parent). */
static void model_file_mount(seen *s, const char *path, int layer)
{
	int n = 0;
	for (int i = 0; i < s->n; i++) {
		if (seen_at(s->v[i], path, true))
			free(s->v[i]);
		else
			s->v[n++] = s->v[i];
	}
	s->n = n;
	const char *slash = strrchr(path, '/');
	char parent[64];
	snprintf(parent, sizeof parent, "%.*s d ", (int)(slash - path), path);
	bool there = slash == path;
	for (int i = 0; i < s->n && !there; i++)
		there = !strncmp(s->v[i], parent, strlen(parent));
	if (there)
		seen_add(s, path, 'f', layer);
}

/* The root merges every layer, opaque or not: overlayfs makes its root
 * from all the layers (ovl_get_root) and checks opaque only on lookup,
 * which the root never goes through (a kernel overlay mount of layers
 * whose top root has overlay.opaque "y" shows the lower files); aufs the
 * same (its root dentry holds every branch). */
static void model_view(const model *m, seen *s)
{
	int dirs[MAXL], layers[MAXL], nd = 0;
	for (int k = 0; k < m->nlayers && (m->rules != R_NONE || k == 0); k++) {
		dirs[nd] = m->root[k];
		layers[nd++] = k;
	}
	model_dir(m, dirs, layers, nd, "/", 0, s);
	int next = m->nlayers;   /* mounts are numbered after the layers, in order */
	if (m->mount) {   /* a volume at /a: its own tree alone */
		seen_add(s, "/a", 'd', next);
		seen_add(s, "/a/m", 'f', next++);
	}
	if (m->fmount_b)
		model_file_mount(s, "/b", next++);
	if (m->fmount_c)
		model_file_mount(s, "/a/c", next);
}

/* ---- the engine, and the invariants ------------------------------------ */

static void fail(const char *what, const char *path)
{
	fprintf(stderr, "fuzz_union: %s: %s\n", what, path);
	abort();
}

static char type_of_mode(mode_t md)
{
	return S_ISDIR(md) ? 'd' : S_ISLNK(md) ? 'l' : S_ISCHR(md) ? 'c' : 'f';
}

static bool canonical(const char *p)
{
	if (p[0] != '/')
		return false;
	if (!strcmp(p, "/"))
		return true;
	for (const char *c = p; *c == '/'; ) {
		const char *e = strchr(c + 1, '/');
		size_t n = e ? (size_t)(e - c - 1) : strlen(c + 1);
		if (n == 0 || (n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
		if (!e)
			break;
		c = e;
	}
	return true;
}

/* un_realpath of p, when it resolves, names what un_stat(p, follow) does. */
static void check_resolve(un_fs *fs, const char *p)
{
	de_err e;
	un_node a, b;
	char *real = un_realpath(fs, p, &e);
	int ra = un_stat(fs, p, true, &a, &e);
	if (!real) {
		if (ra == 0)
			fail("un_stat follows what un_realpath cannot resolve", p);
		return;
	}
	if (!canonical(real))
		fail("un_realpath gives a path that is not canonical", real);
	if (ra < 0)
		fail("un_realpath resolves what un_stat cannot", p);
	if (un_stat(fs, real, false, &b, &e) < 0)
		fail("the path un_realpath gives is not found", real);
	if (a.layer != b.layer || a.st.st_ino != b.st.st_ino || S_ISLNK(b.st.st_mode))
		fail("un_realpath names another entry than un_stat", p);
	free(real);
}

typedef struct walk_ctx {
	un_fs *fs;
	seen got;
	int nlayers;
	struct stat outside[2];   /* the layers' parent directory, a file in it */
} walk_ctx;

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* The first bytes of fd's content, closing it; "" when it is not open. */
static void head_of(int fd, char *buf, size_t len)
{
	memset(buf, 0, len);
	if (fd >= 0 && read(fd, buf, len - 1) < 0)
		buf[0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* A file's content, by path (un_open) and from the walk (un_walk_open):
 * the same, never from outside, and from the layer that supplies it. */
static void check_file(walk_ctx *w, const un_walk_entry *ent)
{
	de_err e;
	int fd = un_open(w->fs, ent->path, &e), wfd = un_walk_open(w->fs, ent, &e);
	if (fd < 0 && !ent->node->metacopy)
		fail("un_open of a listed file failed", ent->path);
	if ((fd < 0) != (wfd < 0))
		fail("un_open and un_walk_open disagree", ent->path);
	char buf[16], wbuf[16], want[16];
	head_of(fd, buf, sizeof buf);
	head_of(wfd, wbuf, sizeof wbuf);
	if (strcmp(buf, wbuf))
		fail("un_open and un_walk_open read different content", ent->path);
	if (!strcmp(buf, "OUT\n"))
		fail("a file from outside the layers is read", ent->path);
	if (ent->node->layer >= w->nlayers &&
	    !strncmp(un_layer_label(w->fs, ent->node->layer), "file", 4) && strcmp(buf, "FM\n"))
		fail("a mounted file's content is not its source's", ent->path);
	snprintf(want, sizeof want, "L%d\n", ent->node->layer);
	/* (an xattr whiteout that is not one is an empty file: nothing to tell) */
	if (fd >= 0 && !ent->node->metacopy && ent->node->layer < w->nlayers &&
	    ent->node->st.st_size && strcmp(buf, want))
		fail("a file's content is not from the layer that supplies it", ent->path);
	int below;   /* a metacopy's data: a layer below its own */
	if (fd >= 0 && ent->node->metacopy && buf[0] &&
	    (sscanf(buf, "L%d", &below) != 1 || below <= ent->node->layer || below >= w->nlayers))
		fail("a metacopy file's data is not from a layer below it", ent->path);
}

static int on_entry(void *arg, const un_walk_entry *ent)
{
	walk_ctx *w = arg;
	de_err e;
	un_node n;
	if (!canonical(ent->path))
		fail("the walk gives a path that is not canonical", ent->path);
	if (same_file(&ent->node->st, &w->outside[0]) || same_file(&ent->node->st, &w->outside[1]))
		fail("the view shows what is outside the layers", ent->path);
	seen_add(&w->got, ent->path, type_of_mode(ent->node->st.st_mode), ent->node->layer);
	if (un_stat(w->fs, ent->path, false, &n, &e) < 0)
		fail("a walked path is not found by un_stat", ent->path);
	if (n.layer != ent->node->layer || n.st.st_ino != ent->node->st.st_ino)
		fail("un_stat and the walk disagree", ent->path);
	if (S_ISLNK(n.st.st_mode)) {   /* (resolving costs: only where links play) */
		check_resolve(w->fs, ent->path);
		char *up = xasprintf("%s/..", ent->path);
		check_resolve(w->fs, up);
		free(up);
	}
	if (S_ISLNK(n.st.st_mode)) {
		char *t = un_readlink(w->fs, ent->path, &e);
		if (!t)
			fail("un_readlink of a listed symlink failed", ent->path);
		free(t);
	} else if (S_ISREG(n.st.st_mode)) {
		check_file(w, ent);
	} else if (S_ISDIR(n.st.st_mode)) {
		un_dir d;
		if (un_readdir(w->fs, ent->path, &d, &e) < 0)
			fail("un_readdir of a listed directory failed", ent->path);
		for (size_t i = 0; i < d.n; i++) {
			char *cp = xasprintf("%s/%s", ent->path, d.v[i].name);
			if (un_stat(w->fs, cp, false, &n, &e) < 0 || n.layer != d.v[i].layer)
				fail("a listed name is not found by un_stat", cp);
			free(cp);
		}
		un_dir_free(&d);
	}
	strvec x = {0};
	if (un_listxattr(w->fs, ent->path, &x, &e) == 0)
		for (size_t i = 0; i < x.n; i++)
			if (!strncmp(x.v[i], "trusted.overlay.", 16) || !strncmp(x.v[i], "user.overlay.", 13))
				fail("an overlay xattr is shown", ent->path);
	sv_free(&x);
	return 0;
}

static void on_unused(void *arg, const un_marker *mk)
{
	struct statx sx;
	de_err e;
	un_shadow_marker_stat(arg, mk, &sx, &e);
}

/* A raw layer's entry: what it is under the stack's rules. */
static int on_raw(void *arg, const un_walk_entry *ent)
{
	un_fs **pair = arg;
	char *hidden;
	un_raw k = un_raw_kind(pair[1], ent, &hidden);
	if ((k == UN_RAW_WHITEOUT) != (hidden != NULL) || (hidden && hidden[0] != '/'))
		abort();   /* a whiteout names the absolute path it deletes */
	free(hidden);
	return k == UN_RAW_META && S_ISDIR(ent->node->st.st_mode);
}

static int on_change(void *arg, un_change kind, const char *path, const un_walk_entry *now,
                     const un_walk_entry *before)
{
	(void)arg;
	if (!canonical(path) || (kind != UN_DELETED && !now) || (kind != UN_ADDED && !before))
		fail("a diff entry is malformed", path);
	return 0;
}

/* The record: well formed, and every lower layer's own entry looked up. */
static int on_record(void *arg, const un_diff_ent *ent)
{
	const un_fs *fs = arg;
	unsigned depth = 0;
	for (const char *c = ent->path; *c; c++)
		depth += *c == '/';
	if (!canonical(ent->path) || depth != ent->depth ||
	    (ent->kind != UN_DELETED && !ent->now) || (ent->kind == UN_CHANGED && !ent->before) ||
	    (ent->kind == UN_DELETED && !ent->whiteout && (!ent->before || !ent->hidden_by)) ||
	    (ent->implied && !ent->hidden_by) || (ent->opaque && !S_ISDIR(ent->now->node->st.st_mode)))
		fail("a diff record is malformed", ent->path);
	for (size_t k = 0; k < 8; k++) {
		struct stat st;
		un_presence p = un_diff_in_layer(ent, k, &st);
		if ((p == UN_PRESENT || p == UN_WHITEOUT) && k >= un_layer_count(fs))
			fail("a lower layer that does not exist holds an entry", ent->path);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fails, printing the lines only in want ("-") and only in got ("+"),
 * unless the two equal once sorted. */
static void compare(seen *want, seen *got, const char *what)
{
	qsort(want->v, (size_t)want->n, sizeof *want->v, cmp_str);
	qsort(got->v, (size_t)got->n, sizeof *got->v, cmp_str);
	int i = 0, j = 0, bad = 0;
	while (i < want->n || j < got->n) {
		int c = i >= want->n ? 1 : j >= got->n ? -1 : strcmp(want->v[i], got->v[j]);
		if (c < 0)
			bad = fprintf(stderr, "- %s\n", want->v[i++]);
		else if (c > 0)
			bad = fprintf(stderr, "+ %s\n", got->v[j++]);
		else
			i++, j++;
	}
	if (bad)
		fail(what, "(- only there, + only in the view)");
}

static void seen_free(seen *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

/* ---- the kernel as the oracle (DE_FUZZ_KERNEL=1) ------------------------ */

static seen kview;
static size_t kprefix;
static bool kbroken;

/* The kernel's listing below path. An entry it lists but cannot stat (a
 * whiteout in a directory it does not merge: listed, then not found) is
 * left out; a directory it cannot read to the end (a metacopy file with
 * no data, a redirect to nowhere: its readdir fails) makes the whole
 * listing unusable (kbroken). */
static void kernel_walk(const char *path, unsigned depth)
{
	DIR *d = opendir(path);
	if (!d || depth > 64) {
		kbroken = true;
		if (d)
			closedir(d);
		return;
	}
	struct dirent *de;
	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", path, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0) {
			seen_add(&kview, p + kprefix, type_of_mode(st.st_mode), 0);
			if (S_ISDIR(st.st_mode))
				kernel_walk(p, depth + 1);
		}
		free(p);
	}
	if (errno)
		kbroken = true;
	closedir(d);
}

/* The walk of the kernel's overlay mount of the layers, as "path type". */
static bool kernel_view(const model *m, const char *root, seen *out)
{
	char mnt[4096], opt[8192] = "ro,redirect_dir=follow,metacopy=on,lowerdir=", dir[4096];
	for (int k = 0; k < m->nlayers; k++) {
		char label[16];
		snprintf(label, sizeof label, "%d", k);
		fz_join(dir, sizeof dir, root, label);
		strcat(opt, k ? ":" : "");
		strcat(opt, dir);
	}
	fz_join(dir, sizeof dir, root, "z");   /* an empty bottom layer: 2 at least */
	mkdir(dir, 0755);
	strcat(opt, ":");
	strcat(opt, dir);
	fz_join(mnt, sizeof mnt, root, "mnt");
	mkdir(mnt, 0755);
	if (mount("overlay", mnt, "overlay", MS_RDONLY, opt) < 0) {
		fprintf(stderr, "fuzz_union: mount: %s\n", strerror(errno));
		return false;
	}
	kview.n = 0;
	kprefix = strlen(mnt);
	kbroken = false;
	kernel_walk(mnt, 0);
	umount2(mnt, MNT_DETACH);
	*out = kview;
	if (kbroken)
		seen_free(out);
	return !kbroken;
}

/* A redirect the kernel refuses (its lookup fails: the entry is listed
 * but cannot be looked up; the view shows the directory without it). */
static bool bad_redirects(const model *m)
{
	for (int x = 0; x < m->nn; x++) {
		const char *t = targets[m->n[x].target];
		if (m->n[x].kind == K_REDIR &&
		    (!strcmp(t, "/") || strstr(t, "..") || (t[0] != '/' && strchr(t, '/'))))
			return true;
	}
	return false;
}

/* An xattr whiteout in a directory not marked "x": the kernel's lookup
 * takes it for a whiteout (6.7+ checks the xattr on any empty file) while
 * its readdir lists it (it filters only in "x" directories): a name that
 * cannot be looked up. The view follows the marking, in lookup and listing
 * alike (an empty file); left out of the comparison. */
static bool stray_xwhiteouts(const model *m)
{
	for (int x = 0; x < m->nn; x++)
		for (int c = m->n[x].first; c >= 0; c = m->n[c].next)
			if (m->n[c].kind == K_XWH && m->n[c].xattr_ok && m->n[x].opq != 'x')
				return true;
	return false;
}

static bool has_kind(const model *m, enum kind k)
{
	for (int x = 0; x < m->nn; x++)
		if (m->n[x].kind == k)
			return true;
	return false;
}

/* "path type layer" -> "path type 0": the mount does not tell layers. */
static void without_layers(const seen *in, seen *out)
{
	for (int i = 0; i < in->n; i++) {
		const char *sp = strrchr(in->v[i], ' ');
		out->v[out->n++] = xasprintf("%.*s 0", (int)(sp - in->v[i]), in->v[i]);
	}
}

static void run_engine(model *m, const char *root)
{
	static const un_rules rules[3] = {UN_RULES_OVERLAY, UN_RULES_AUFS, UN_RULES_NONE};
	un_fs *fs = un_new(rules[m->rules]);
	char dir[4096], label[16];
	for (int k = 0; k < m->nlayers; k++) {
		snprintf(label, sizeof label, "%d", k);
		fz_join(dir, sizeof dir, root, label);
		un_add_layer(fs, open(dir, O_RDONLY | O_DIRECTORY), label);
	}
	if (m->mount) {
		fz_join(dir, sizeof dir, root, "vol");
		un_add_mount(fs, "/a", open(dir, O_RDONLY | O_DIRECTORY), "vol");
	}
	fz_join(dir, sizeof dir, root, "fm");
	if (m->fmount_b)
		un_add_file_mount(fs, "/b", open(dir, O_RDONLY | O_DIRECTORY), "f", "file-b");
	if (m->fmount_c)
		un_add_file_mount(fs, "/a/c", open(dir, O_RDONLY | O_DIRECTORY), "g", "file-c");
	walk_ctx w = {.fs = fs, .nlayers = m->nlayers};
	fz_join(dir, sizeof dir, root, "outside");
	if (stat(root, &w.outside[0]) < 0 || stat(dir, &w.outside[1]) < 0)
		abort();
	de_err e;
	if (un_walk(fs, "/", on_entry, &w, &e) < 0)
		fail("the walk of the view failed", e.msg);
	for (int i = 0; i < 8; i++)
		check_resolve(fs, targets[i]);
	if (!m->redirects) {
		seen want = {0};
		model_view(m, &want);
		compare(&want, &w.got, "the view differs from the model");
		seen_free(&want);
	}
	static int kernel = -1;
	if (kernel < 0)
		kernel = getenv("DE_FUZZ_KERNEL") && !strcmp(getenv("DE_FUZZ_KERNEL"), "1");
	seen kv = {0};
	/* (a metacopy file with no data below makes the kernel's readdir fail:
	 * what it lists then is cut short; the view shows the file) */
	if (kernel && m->rules == R_OVERLAY && !m->mount && !m->fmount_b && !m->fmount_c &&
	    !has_kind(m, K_META) && !bad_redirects(m) &&
	    !stray_xwhiteouts(m) &&
	    kernel_view(m, root, &kv)) {
		seen got = {0};
		without_layers(&w.got, &got);
		compare(&kv, &got, "the view differs from the kernel's mount");
		seen_free(&got);
		seen_free(&kv);
	}
	for (size_t k = 0; k < (size_t)m->nlayers; k++) {
		un_diff_layer(fs, k, on_change, NULL, &e);
		un_diff_walk(fs, k, UN_DIFF_PROBE | UN_DIFF_MARKERS, on_record, fs, &e);
	}
	un_shadow *sh = un_shadow_build(fs, 1);
	for (int i = 0; i < w.got.n; i++) {
		char *sp = strchr(w.got.v[i], ' ');
		*sp = '\0';
		un_shadow_hides(sh, w.got.v[i]);
		/* why, and the marker's own inode (timeline deletions) */
		un_marker mk;
		struct statx sx;
		if (un_shadow_why(sh, w.got.v[i], 1, &mk) == UN_HID_DELETED)
			un_shadow_marker_stat(sh, &mk, &sx, &e);
	}
	un_shadow_unused(sh, on_unused, sh);
	un_shadow_free(sh);
	/* each layer raw, as --include-image-layers walks it */
	for (size_t k = 0; k < (size_t)m->nlayers; k++) {
		un_fs *raw = un_slice_raw(fs, k);
		un_fs *pair[2] = {raw, fs};
		un_walk(raw, "/", on_raw, pair, &e);
		un_free(raw);
	}
	seen_free(&w.got);
	un_free(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static model m;
	memset(&m, 0, sizeof m);
	m.rules = (data[0] & 3) % 3;
	m.nlayers = ((data[0] >> 2) & 3) + 1;
	m.mount = data[0] & 16;
	m.fmount_b = data[0] & 64;
	m.fmount_c = data[0] & 128;
	for (int k = 0; k < m.nlayers; k++) {
		m.root[k] = new_node(&m, -1, "", K_DIR);
		if ((data[0] & 32) && m.rules == R_OVERLAY)
			m.n[m.root[k]].opq = 'y';
		else if ((data[0] & 32) && m.rules == R_AUFS)
			new_node(&m, m.root[k], ".wh..wh..opq", K_FILE);
	}
	for (size_t i = 1, n = 0; i + 5 <= size && n < MAXE; i += 5, n++)
		add_entry(&m, data + i);

	char *root = fz_mkroot();
	bool ok = true;
	for (int k = 0; k < m.nlayers && ok; k++) {
		char label[16];
		snprintf(label, sizeof label, "%d", k);
		fz_mkdir(root, label);
		int fd = open(root, O_RDONLY | O_DIRECTORY);
		int lfd = openat(fd, label, O_RDONLY | O_DIRECTORY);
		for (int c = m.n[m.root[k]].first; c >= 0 && ok; c = m.n[c].next)
			ok = make(&m, lfd, c, k);
		/* a layer root's own marks (an xattr whiteout at depth 1) */
		if (ok && m.n[m.root[k]].opq && !set_ovl(fd, label, "opaque", m.n[m.root[k]].opq == 'y' ? "y" : "x"))
			m.n[m.root[k]].opq = 0;
		close(lfd);
		close(fd);
	}
	fz_write_str(root, "outside", "OUT\n");
	if (m.mount) {
		fz_mkdir(root, "vol");
		fz_write_str(root, "vol/m", "L9\n");
	}
	fz_mkdir(root, "fm");   /* the sources of the mounted files */
	fz_write_str(root, "fm/f", "FM\n");
	fz_write_str(root, "fm/g", "FM\n");
	if (ok) {   /* else the host refused a mknod or an xattr: nothing to check */
		int before = open("/dev/null", O_RDONLY);
		close(before);
		run_engine(&m, root);
		int after = open("/dev/null", O_RDONLY);
		close(after);
		if (after != before)
			fail("a descriptor is left open", "/");
	}
	fz_rmroot(root);
	de_omissions_reset();
	return 0;
}

/* Unit tests: union/ over virtual evidence descriptors (util/evh.h) — the
 * engine given layers that are no kernel directory, as a layer inside a
 * disk image is: every read it makes must go through evh_*, or it fails
 * (EBADF on a virtual descriptor). The file system here is constructed in
 * memory (two overlay layers: a 0/0 whiteout, an opaque directory, a merged
 * directory, a symlink, an xattr); the same rules on kernel trees are
 * test_union.c's, and the kernel comparison tests/e2e/t_union_*.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "union/union.h"
#include "unionlist.h"
#include "util/evh.h"

/* One inode: ino = its index + 1; roots have parent 0. */
typedef struct mnode {
	uint64_t parent;
	const char *name;
	uint32_t mode;
	unsigned rmaj, rmin;
	const char *data;     /* a file's content, a symlink's target */
	const char *xname, *xval;
} mnode;

static const mnode tree[] = {
	/* 1 */ {0, "L0", S_IFDIR | 0755, 0, 0, NULL, NULL, NULL},
	/* 2 */ {0, "L1", S_IFDIR | 0755, 0, 0, NULL, NULL, NULL},
	/* 3 */ {1, "gone", S_IFCHR, 0, 0, NULL, NULL, NULL},
	/* 4 */ {1, "opq", S_IFDIR | 0755, 0, 0, NULL, "trusted.overlay.opaque", "y"},
	/* 5 */ {4, "new", S_IFREG | 0644, 0, 0, "n", NULL, NULL},
	/* 6 */ {1, "f", S_IFREG | 0644, 0, 0, "upper\n", NULL, NULL},
	/* 7 */ {1, "ln", S_IFLNK | 0777, 0, 0, "/keep", NULL, NULL},
	/* 8 */ {1, "sub", S_IFDIR | 0755, 0, 0, NULL, NULL, NULL},
	/* 9 */ {8, "a", S_IFREG | 0644, 0, 0, "a0", NULL, NULL},
	/* 10 */ {2, "gone", S_IFREG | 0644, 0, 0, "x", NULL, NULL},
	/* 11 */ {2, "opq", S_IFDIR | 0755, 0, 0, NULL, NULL, NULL},
	/* 12 */ {11, "hidden", S_IFREG | 0644, 0, 0, "h", NULL, NULL},
	/* 13 */ {2, "f", S_IFREG | 0644, 0, 0, "lower\n", NULL, NULL},
	/* 14 */ {2, "keep", S_IFREG | 0600, 0, 0, "kept\n", "user.note", "v"},
	/* 15 */ {2, "sub", S_IFDIR | 0755, 0, 0, NULL, NULL, NULL},
	/* 16 */ {15, "b", S_IFREG | 0644, 0, 0, "b1", NULL, NULL},
	/* 17 */ {15, "c", S_IFCHR | 0600, 1, 3, NULL, NULL, NULL},
};
#define NNODES (sizeof tree / sizeof *tree)

static const mnode *node_of(uint64_t ino)
{
	return ino >= 1 && ino <= NNODES ? &tree[ino - 1] : NULL;
}

static int m_lookup(void *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	(void)fs;
	for (size_t i = 0; i < NNODES; i++)
		if (tree[i].parent == dir && strlen(tree[i].name) == len &&
		    !memcmp(tree[i].name, name, len)) {
			*ino = i + 1;
			return 0;
		}
	return -ENOENT;
}

static int m_stat(void *fs, uint64_t ino, struct statx *x)
{
	(void)fs;
	const mnode *n = node_of(ino);
	if (!n)
		return -ENOENT;
	memset(x, 0, sizeof *x);
	x->stx_mask = STATX_BASIC_STATS;
	x->stx_ino = ino;
	x->stx_mode = (uint16_t)n->mode;
	x->stx_nlink = S_ISDIR(n->mode) ? 2 : 1;
	x->stx_size = n->data ? strlen(n->data) : 0;
	x->stx_blocks = x->stx_size ? 8 : 0;
	x->stx_rdev_major = n->rmaj;
	x->stx_rdev_minor = n->rmin;
	x->stx_mtime.tv_sec = 1700000000 + (int64_t)ino;
	return 0;
}

static int m_readdir(void *fs, uint64_t ino,
                     int (*cb)(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype),
                     void *arg)
{
	(void)fs;
	for (size_t i = 0; i < NNODES; i++)
		if (tree[i].parent == ino) {
			int r = cb(arg, tree[i].name, strlen(tree[i].name), i + 1, IFTODT(tree[i].mode));
			if (r)
				return r < 0 ? r : 0;
		}
	return 0;
}

static ssize_t m_readlink(void *fs, uint64_t ino, char *buf, size_t len)
{
	(void)fs;
	const mnode *n = node_of(ino);
	size_t l = strlen(n->data);
	memcpy(buf, n->data, l < len ? l : len);
	return (ssize_t)(l < len ? l : len);
}

static ssize_t m_listxattr(void *fs, uint64_t ino, char *buf, size_t len)
{
	(void)fs;
	const mnode *n = node_of(ino);
	size_t need = n->xname ? strlen(n->xname) + 1 : 0;
	if (!len)
		return (ssize_t)need;
	if (len < need)
		return -ERANGE;
	if (need)
		memcpy(buf, n->xname, need);
	return (ssize_t)need;
}

static ssize_t m_getxattr(void *fs, uint64_t ino, const char *name, void *buf, size_t len)
{
	(void)fs;
	const mnode *n = node_of(ino);
	if (!n->xname || strcmp(n->xname, name))
		return -ENODATA;
	size_t need = strlen(n->xval);
	if (!len)
		return (ssize_t)need;
	if (len < need)
		return -ERANGE;
	memcpy(buf, n->xval, need);
	return (ssize_t)need;
}

static int m_open(void *fs, uint64_t ino, void **file)
{
	(void)fs;
	*file = (void *)node_of(ino);
	return 0;
}

static ssize_t m_pread(void *file, void *buf, size_t len, uint64_t off)
{
	const mnode *n = file;
	size_t size = n->data ? strlen(n->data) : 0;
	if (off >= size)
		return 0;
	size_t k = size - off < len ? size - off : len;
	memcpy(buf, n->data + off, k);
	return (ssize_t)k;
}

static int64_t m_seek(void *file, uint64_t off, int whence)
{
	const mnode *n = file;
	return whence == SEEK_DATA ? (int64_t)off : (int64_t)strlen(n->data);
}

static void m_close(void *file)
{
	(void)file;
}

static evh_fs_ops ops = {m_lookup, m_stat, m_readdir, m_readlink, m_listxattr, m_getxattr,
                         m_open, m_pread, m_seek, m_close, 0};

static un_fs *make_fs(void)
{
	ops.dev = makedev(250, 1);
	un_fs *fs = un_new(UN_RULES_OVERLAY);
	int h0 = evh_new(&ops, NULL, "mem", 1, "/L0", O_RDONLY | O_DIRECTORY);
	int h1 = evh_new(&ops, NULL, "mem", 2, "/L1", O_RDONLY | O_DIRECTORY);
	assert_true(evh_is_virtual(h0) && evh_is_virtual(h1));
	un_add_layer(fs, h0, "L0");
	un_add_layer(fs, h1, "L1");
	return fs;
}

static void expect_content(un_fs *fs, const char *path, const char *want)
{
	de_err e;
	int fd = un_open(fs, path, &e);
	assert_true(evh_is_virtual(fd));
	char buf[64];
	ssize_t n = evh_read(fd, buf, sizeof buf - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
	assert_int_equal(evh_close(fd), 0);
}

static un_fs *walk_fs;

static int walked(void *arg, const un_walk_entry *ent)
{
	dbuf *b = arg;
	db_addf(b, "%s ", ent->path);
	if (S_ISREG(ent->node->st.st_mode)) {   /* content from the walk's descriptors */
		de_err e;
		int fd = un_walk_open(walk_fs, ent, &e);
		char c;
		if (fd >= 0 && evh_pread(fd, &c, 1, 0) == 1)
			db_addf(b, "(%c) ", c);
		if (fd >= 0)
			evh_close(fd);
	}
	return 0;
}

/* Every virtual descriptor the engine opened is closed: the table's slots
 * are handed out again from the first, with no gap. */
static void expect_no_leak(void)
{
	int h[64];
	for (int i = 0; i < 64; i++) {
		h[i] = evh_new(&ops, NULL, "mem", 1, "/L0", O_RDONLY | O_DIRECTORY);
		assert_int_equal(h[i], EVH_VIRTUAL + i);
	}
	for (int i = 0; i < 64; i++)
		evh_close(h[i]);
}

static void test_view_of_virtual_layers(void **state)
{
	(void)state;
	un_fs *fs = make_fs();
	de_err e;
	/* whiteout, opaque directory, merged directory, as over kernel trees */
	expect_listing(fs, "/", "f@L0 keep@L1 ln@L0 opq@L0 sub@L0");
	expect_listing(fs, "/opq", "new@L0");
	expect_listing(fs, "/sub", "a@L0 b@L1 c@L1");
	un_node n;
	assert_int_equal(un_stat(fs, "/sub", false, &n, &e), 0);
	assert_int_equal(un_nlink(&n), 1);   /* merged from two layers */
	assert_int_equal(un_stat(fs, "/sub/c", false, &n, &e), 0);
	assert_true(S_ISCHR(n.st.st_mode) && n.st.st_rdev == makedev(1, 3));
	assert_int_equal(un_stat(fs, "/gone", false, &n, &e), -1);
	/* the symlink resolved by the engine (a virtual lookup never follows one) */
	expect_content(fs, "/ln", "kept\n");
	expect_content(fs, "/f", "upper\n");
	char *t = un_readlink(fs, "/ln", &e);
	assert_string_equal(t, "/keep");
	free(t);
	char *rp = un_realpath(fs, "/sub/../ln", &e);
	assert_string_equal(rp, "/keep");
	free(rp);
	/* xattrs by name; overlay's own never shown */
	size_t len;
	char *v = un_getxattr(fs, "/keep", "user.note", &len, &e);
	assert_non_null(v);
	assert_int_equal(len, 1);
	assert_memory_equal(v, "v", 1);
	free(v);
	strvec names = {0};
	assert_int_equal(un_listxattr(fs, "/opq", &names, &e), 0);
	assert_int_equal(names.n, 0);
	sv_free(&names);
	/* the walk, with content through its descriptors */
	dbuf b = {0};
	walk_fs = fs;
	assert_int_equal(un_walk(fs, "/", walked, &b, &e), 0);
	assert_string_equal(b.p, "/f (u) /keep (k) /ln /opq /opq/new (n) /sub /sub/a (a) "
	                         "/sub/b (b) /sub/c ");
	db_free(&b);
	/* the top layer alone, from duplicated descriptors (its whiteout
	 * still a whiteout: the rules stay), and raw */
	un_fs *top = un_slice(fs, 0, 1, false);
	expect_listing(top, "/", "f@L0 ln@L0 opq@L0 sub@L0");
	un_free(top);
	top = un_slice_raw(fs, 0);
	expect_listing(top, "/", "f@L0 gone@L0 ln@L0 opq@L0 sub@L0");
	un_free(top);
	un_free(fs);
	expect_no_leak();
}

static int change(void *arg, un_change kind, const char *path, const un_walk_entry *now,
                  const un_walk_entry *before)
{
	(void)now;
	(void)before;
	db_addf(arg, "%c %s\n", (char)kind, path);
	return 0;
}

static void test_diff_and_shadow_of_virtual_layers(void **state)
{
	(void)state;
	un_fs *fs = make_fs();
	de_err e;
	dbuf b = {0};
	assert_int_equal(un_diff_layer(fs, 0, change, &b, &e), 0);
	assert_string_equal(b.p, "C /f\nD /gone\nA /ln\nC /opq\nD /opq/hidden\nA /opq/new\n"
	                         "C /sub\nA /sub/a\n");
	db_free(&b);
	un_shadow *sh = un_shadow_build(fs, 1);
	un_marker mk;
	assert_int_equal(un_shadow_why(sh, "/gone", 1, &mk), UN_HID_DELETED);
	struct statx sx;
	assert_int_equal(un_shadow_marker_stat(sh, &mk, &sx, &e), 0);
	assert_int_equal(sx.stx_ino, 3);   /* the whiteout's own inode */
	assert_int_equal(un_shadow_why(sh, "/opq/hidden", 1, &mk), UN_HID_DELETED);
	assert_int_equal(mk.kind, UN_MK_OPAQUE);
	assert_int_equal(un_shadow_why(sh, "/keep", 1, &mk), UN_HID_SHOWN);
	un_shadow_free(sh);
	un_free(fs);
	expect_no_leak();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_view_of_virtual_layers),
		cmocka_unit_test(test_diff_and_shadow_of_virtual_layers),
	};
	return cmocka_run_group_tests_name("union_evh", tests, NULL, NULL);
}

/* Unit tests: union/ — the merge rules on constructed layers. aufs layers
 * are plain files (any user); overlay whiteouts are 0/0 devices and
 * trusted.* xattrs, which need root: those tests are skipped otherwise,
 * and the kernel comparison (tests/e2e/t_union_*.sh) covers them too. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "testfs.h"
#include "union/union.h"
#include "unionlist.h"

static un_fs *make_fs(un_rules rules, int n)
{
	un_fs *fs = un_new(rules);
	for (int i = 0; i < n; i++) {
		char p[512], label[16];
		snprintf(p, sizeof p, "%s/L%d", tfs_root, i);
		mkdir(p, 0755);
		snprintf(label, sizeof label, "L%d", i);
		un_add_layer(fs, open(p, O_RDONLY | O_DIRECTORY), label);
	}
	return fs;
}

static char *content(un_fs *fs, const char *path)
{
	de_err e;
	int fd = un_open(fs, path, &e);
	if (fd < 0)
		return xasprintf("error: %s", e.msg);
	char buf[256];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return xstrdup(buf);
}

static void expect_content(un_fs *fs, const char *path, const char *want)
{
	char *got = content(fs, path);
	assert_string_equal(got, want);
	free(got);
}

static void test_aufs_rules(void **state)
{
	(void)state;
	un_fs *fs = make_fs(UN_RULES_AUFS, 3);   /* L0 top … L2 base */
	tfs_puts("L2/a/x", "x2");
	tfs_puts("L2/a/y", "y2");
	tfs_puts("L2/b/z", "z2");
	tfs_puts("L2/c", "c was a file");
	tfs_puts("L2/d/deep/f", "f2");
	tfs_puts("L2/.wh..wh.aufs", "");           /* bookkeeping: hidden */
	tfs_puts("L1/a/.wh.x", "");                /* deletes /a/x below */
	tfs_puts("L1/b/.wh..wh..opq", "");         /* /b opaque: z hidden */
	tfs_puts("L1/b/new", "new1");
	tfs_puts("L1/c/inner", "c is now a dir");  /* file replaced by a directory */
	tfs_mkdir("L1/.wh..wh.plnk");              /* bookkeeping: hidden */
	tfs_puts("L0/a/x", "x0");                  /* re-created above its whiteout */
	tfs_puts("L0/d", "d is now a file");       /* directory replaced by a file */
	tfs_puts("L0/.wh.nothing", "");            /* whiteout of a name no layer has */
	expect_listing(fs, "/", "a@L0 b@L1 c@L1 d@L0");
	expect_listing(fs, "/a", "x@L0 y@L2");
	expect_listing(fs, "/b", "new@L1");
	expect_listing(fs, "/c", "inner@L1");
	expect_content(fs, "/a/x", "x0");
	expect_content(fs, "/c/inner", "c is now a dir");
	expect_content(fs, "/d", "d is now a file");
	un_node n;
	de_err e;
	assert_int_equal(un_stat(fs, "/b/z", false, &n, &e), -1);
	assert_int_equal(un_stat(fs, "/d/deep/f", false, &n, &e), -1);
	assert_int_equal(un_stat(fs, "/a/.wh.x", false, &n, &e), -1);   /* never visible */
	assert_int_equal(un_stat(fs, "/a/y", false, &n, &e), 0);
	assert_string_equal(un_layer_label(fs, n.layer), "L2");
	un_free(fs);
}

static void test_symlinks_stay_in_the_view(void **state)
{
	(void)state;
	un_fs *fs = make_fs(UN_RULES_NONE, 1);
	tfs_puts("L0/etc/passwd", "container passwd");
	tfs_symlink("/etc/passwd", "L0/abs");          /* absolute: from the view's root */
	tfs_symlink("../../../../etc/passwd", "L0/up"); /* .. never above the root */
	tfs_symlink("/etc", "L0/etcdir");
	tfs_symlink("loop2", "L0/loop1");
	tfs_symlink("loop1", "L0/loop2");
	tfs_symlink("/nowhere", "L0/dangling");
	expect_content(fs, "/abs", "container passwd");
	expect_content(fs, "/up", "container passwd");
	expect_content(fs, "/etcdir/passwd", "container passwd");
	expect_content(fs, "/etc/../../etc/./passwd", "container passwd");
	char *got = content(fs, "/loop1");
	assert_non_null(strstr(got, "too many levels"));
	free(got);
	got = content(fs, "/dangling");
	assert_non_null(strstr(got, "error"));
	free(got);
	de_err e;
	char *t = un_readlink(fs, "/abs", &e);
	assert_string_equal(t, "/etc/passwd");
	free(t);
	char *rp = un_realpath(fs, "/etcdir/../abs", &e);
	assert_string_equal(rp, "/etc/passwd");
	free(rp);
	un_free(fs);
}

static int count_entry(void *arg, const un_walk_entry *ent)
{
	dbuf *b = arg;
	db_addf(b, "%s;", ent->path);
	return 0;
}

static void test_walk_and_mounts(void **state)
{
	(void)state;
	un_fs *fs = make_fs(UN_RULES_AUFS, 2);
	tfs_puts("L1/data/hidden", "under the mount point");
	tfs_puts("L1/z", "");
	tfs_mkdir("L1/mnt");
	tfs_puts("L0/a/b", "");
	tfs_puts("vol/v.txt", "volume");
	char p[512];
	snprintf(p, sizeof p, "%s/vol", tfs_root);
	un_add_mount(fs, "/data", open(p, O_RDONLY | O_DIRECTORY), "volume:v");
	un_add_mount(fs, "/mnt/new", open(p, O_RDONLY | O_DIRECTORY), "volume:w");
	dbuf b = {0};
	de_err e;
	assert_int_equal(un_walk(fs, "/", count_entry, &b, &e), 0);
	/* parents before children, names in order; the mount hides what is
	 * below it, and a mount point missing from the layers still shows */
	assert_string_equal(b.p, "/a;/a/b;/data;/data/v.txt;/mnt;/mnt/new;/mnt/new/v.txt;/z;");
	db_free(&b);
	expect_content(fs, "/data/v.txt", "volume");
	un_node n;
	assert_int_equal(un_stat(fs, "/mnt/new/v.txt", false, &n, &e), 0);
	assert_string_equal(un_layer_label(fs, n.layer), "volume:w");
	un_free(fs);
}

/* A directory of the test tree, open, for a mount's source. */
static int open_tfs_dir(const char *rel)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", tfs_root, rel);
	return open(p, O_RDONLY | O_DIRECTORY);
}

typedef struct file_walk {
	un_fs *fs;
	dbuf b;
	char content[64];
} file_walk;

/* path@layer; and the content of /etc/hostname as the walk reads it */
static int walk_files(void *arg, const un_walk_entry *ent)
{
	file_walk *w = arg;
	db_addf(&w->b, "%s@%s;", ent->path, un_layer_label(w->fs, ent->node->layer));
	if (!strcmp(ent->path, "/etc/hostname")) {
		de_err e;
		int fd = un_walk_open(w->fs, ent, &e);
		assert_true(fd >= 0);
		ssize_t n = read(fd, w->content, sizeof w->content - 1);
		w->content[n < 0 ? 0 : n] = '\0';
		close(fd);
	}
	return 0;
}

static void test_file_mounts(void **state)
{
	(void)state;
	un_fs *fs = make_fs(UN_RULES_AUFS, 2);
	tfs_puts("L1/etc/hostname", "");             /* the -init layer's placeholder */
	tfs_puts("L1/etc/passwd", "root:x:0:0");
	tfs_puts("L0/run/x/deep", "under a file mount");
	tfs_puts("engine/hostname", "web01\n");      /* what the engine wrote */
	tfs_puts("engine/hosts", "127.0.0.1 localhost\n");
	tfs_puts("vol/v.txt", "volume");
	char p[512];
	snprintf(p, sizeof p, "%s/engine/hostname", tfs_root);
	assert_int_equal(chmod(p, 0640), 0);
	bool xattrs = setxattr(p, "user.de-test", "src", 3, 0) == 0;   /* (tmpfs < 6.6: no) */
	un_add_file_mount(fs, "/etc/hostname", open_tfs_dir("engine"), "hostname", "engine:hostname");
	un_add_file_mount(fs, "/run/x", open_tfs_dir("engine"), "hosts", "engine:hosts");
	un_add_mount(fs, "/data", open_tfs_dir("vol"), "volume:v");
	un_add_file_mount(fs, "/data/extra", open_tfs_dir("engine"), "hosts", "engine:nested");
	/* stat and content: the source's, not the placeholder's */
	un_node n;
	de_err e;
	struct stat src;
	assert_int_equal(stat(p, &src), 0);
	assert_int_equal(un_stat(fs, "/etc/hostname", false, &n, &e), 0);
	assert_string_equal(un_layer_label(fs, n.layer), "engine:hostname");
	assert_int_equal(n.st.st_size, 6);
	assert_int_equal(n.st.st_mode, S_IFREG | 0640);
	assert_int_equal(n.st.st_ino, src.st_ino);
	expect_content(fs, "/etc/hostname", "web01\n");
	expect_content(fs, "/etc/passwd", "root:x:0:0");
	/* listed where it is mounted, with its type */
	expect_listing(fs, "/etc", "hostname@engine:hostname passwd@L1");
	un_dir d;
	assert_int_equal(un_readdir(fs, "/etc", &d, &e), 0);
	assert_int_equal(d.v[0].type, DT_REG);
	un_dir_free(&d);
	/* a file over a directory hides all below it, as a bind mount does */
	assert_int_equal(un_stat(fs, "/run/x", false, &n, &e), 0);
	assert_true(S_ISREG(n.st.st_mode));
	assert_int_equal(un_stat(fs, "/run/x/deep", false, &n, &e), -1);
	assert_non_null(strstr(e.msg, "not a directory"));
	assert_int_equal(un_readdir(fs, "/run/x", &d, &e), -1);
	/* a file mounted inside a mounted tree */
	expect_listing(fs, "/data", "extra@engine:nested v.txt@volume:v");
	expect_content(fs, "/data/extra", "127.0.0.1 localhost\n");
	/* xattrs from the source */
	if (xattrs) {
		strvec names = {0};
		assert_int_equal(un_listxattr(fs, "/etc/hostname", &names, &e), 0);
		assert_int_equal(names.n, 1);
		assert_string_equal(names.v[0], "user.de-test");
		sv_free(&names);
		size_t len;
		char *v = un_getxattr(fs, "/etc/hostname", "user.de-test", &len, &e);
		assert_int_equal(len, 3);
		assert_memory_equal(v, "src", 3);
		free(v);
	}
	/* the walk: once, from the mount, and its content from the source */
	file_walk w = {.fs = fs};
	assert_int_equal(un_walk(fs, "/", walk_files, &w, &e), 0);
	assert_string_equal(w.b.p, "/data@volume:v;/data/extra@engine:nested;/data/v.txt@volume:v;"
	                           "/etc@L1;/etc/hostname@engine:hostname;/etc/passwd@L1;"
	                           "/run@L0;/run/x@engine:hosts;");
	assert_string_equal(w.content, "web01\n");
	db_free(&w.b);
	/* a slice with its mounts keeps them; a shadow hides what they cover */
	un_fs *top = un_slice(fs, 0, 1, true);
	expect_content(top, "/run/x", "127.0.0.1 localhost\n");
	un_free(top);
	un_shadow *sh = un_shadow_build(fs, 1);
	assert_true(un_shadow_hides(sh, "/etc/hostname"));
	assert_true(un_shadow_hides(sh, "/run/x/deep"));
	assert_false(un_shadow_hides(sh, "/etc/passwd"));
	un_shadow_free(sh);
	un_free(fs);
}

/* A mount's source that is a symlink, or that is gone: an error naming
 * the mount, never the link's target, never the layers' entry. */
static void test_file_mount_sources_refused(void **state)
{
	(void)state;
	un_fs *fs = make_fs(UN_RULES_NONE, 1);
	tfs_puts("L0/etc/hostname", "");
	tfs_puts("L0/etc/hosts", "");
	tfs_puts("outside", "secret");
	tfs_symlink("../outside", "engine/hostname");
	tfs_mkdir("engine");
	un_add_file_mount(fs, "/etc/hostname", open_tfs_dir("engine"), "hostname", "engine:hostname");
	un_add_file_mount(fs, "/etc/hosts", open_tfs_dir("engine"), "hosts", "engine:hosts");
	un_node n;
	de_err e;
	assert_int_equal(un_stat(fs, "/etc/hostname", false, &n, &e), -1);
	assert_non_null(strstr(e.msg, "engine:hostname"));
	char *got = content(fs, "/etc/hostname");
	assert_null(strstr(got, "secret"));
	free(got);
	assert_int_equal(un_stat(fs, "/etc/hosts", false, &n, &e), -1);
	assert_non_null(strstr(e.msg, "No such file"));
	un_free(fs);
}

static void test_overlay_rules(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();   /* 0/0 devices and trusted.* xattrs need root */
	un_fs *fs = make_fs(UN_RULES_OVERLAY, 3);
	char p[512];
	tfs_puts("L2/a/x", "x2");
	tfs_puts("L2/a/y", "y2");
	tfs_puts("L2/b/z", "z2");
	tfs_puts("L2/r/old/f", "renamed content");
	tfs_puts("L2/m", "metacopy data");
	tfs_mkdir("L1/a");
	snprintf(p, sizeof p, "%s/L1/a/x", tfs_root);
	assert_int_equal(mknod(p, S_IFCHR | 0, makedev(0, 0)), 0);   /* whiteout */
	tfs_puts("L1/b/new", "new1");
	snprintf(p, sizeof p, "%s/L1/b", tfs_root);
	assert_int_equal(setxattr(p, "trusted.overlay.opaque", "y", 1, 0), 0);
	/* "x": not opaque, holds xattr whiteouts */
	tfs_puts("L0/a/y", "");
	snprintf(p, sizeof p, "%s/L0/a", tfs_root);
	assert_int_equal(setxattr(p, "trusted.overlay.opaque", "x", 1, 0), 0);
	snprintf(p, sizeof p, "%s/L0/a/y", tfs_root);
	assert_int_equal(setxattr(p, "trusted.overlay.whiteout", "", 0, 0), 0);
	/* a renamed directory: /new-r shows /r/old's lower content */
	tfs_mkdir("L0/new-r");
	snprintf(p, sizeof p, "%s/L0/new-r", tfs_root);
	assert_int_equal(setxattr(p, "trusted.overlay.redirect", "/r/old", 6, 0), 0);
	/* metadata-only copy-up: data stays below */
	tfs_puts("L0/m", "");
	snprintf(p, sizeof p, "%s/L0/m", tfs_root);
	assert_int_equal(truncate(p, 13), 0);
	assert_int_equal(setxattr(p, "trusted.overlay.metacopy", "", 0, 0), 0);
	assert_int_equal(setxattr(p, "user.note", "kept", 4, 0), 0);

	expect_listing(fs, "/a", "");
	expect_listing(fs, "/b", "new@L1");
	expect_listing(fs, "/new-r", "f@L2");
	expect_content(fs, "/new-r/f", "renamed content");
	expect_content(fs, "/m", "metacopy data");
	/* overlay's own xattrs are not file xattrs */
	strvec names = {0};
	de_err e;
	assert_int_equal(un_listxattr(fs, "/m", &names, &e), 0);
	assert_int_equal(names.n, 1);
	assert_string_equal(names.v[0], "user.note");
	sv_free(&names);
	assert_int_equal(un_listxattr(fs, "/b", &names, &e), 0);
	assert_int_equal(names.n, 0);
	size_t len;
	assert_null(un_getxattr(fs, "/b", "trusted.overlay.opaque", &len, &e));
	un_free(fs);
}


static void expect_why(un_shadow *sh, const char *path, int below, un_hidden want,
                       const char *marker, un_marker_kind kind)
{
	un_marker mk = {0};
	un_hidden got = un_shadow_why(sh, path, below, &mk);
	assert_int_equal(got, want);
	if (marker) {
		assert_string_equal(mk.path, marker);
		assert_int_equal(mk.kind, kind);
	}
}

static void on_unused(void *arg, const un_marker *mk)
{
	db_addf(arg, "%s;", mk->path);
}

static int raw_entry(void *arg, const un_walk_entry *ent)
{
	un_fs **fs = arg;
	char *hidden;
	un_raw k = un_raw_kind(fs[1], ent, &hidden);
	db_addf((dbuf *)fs[2], "%s=%d%s%s;", ent->path, (int)k, hidden ? ":" : "", hidden ? hidden : "");
	free(hidden);
	return 0;
}

/* Why the image's entries are hidden, and by which marker: a container
 * layer (L0), an -init layer (L1), an image (L2), aufs rules. */
static void test_shadow_why(void **state)
{
	(void)state;
	un_fs *fs = make_fs(UN_RULES_AUFS, 3);
	tfs_puts("L2/a/x", "x");
	tfs_puts("L2/a/y", "y");
	tfs_puts("L2/b/z", "z");
	tfs_puts("L2/c/k", "k");
	tfs_puts("L2/d/e", "e");
	tfs_puts("L2/m/n", "n");
	tfs_puts("L1/init.txt", "made by the engine");
	tfs_puts("L1/dockerenv", "");
	tfs_puts("L0/.wh.init.txt", "");      /* deletes the -init layer's file */
	tfs_puts("L0/a/.wh.x", "");           /* a whiteout */
	tfs_puts("L0/b/.wh..wh..opq", "");    /* an opaque directory */
	tfs_puts("L0/b/new", "new");
	tfs_puts("L0/c", "a file where a directory was");
	tfs_puts("L0/d/e", "rewritten");
	tfs_puts("L0/.wh.gone", "");          /* hides nothing below */
	tfs_puts("L0/.wh..wh..opq", "");      /* at a root: never opaque */
	char p[512];
	snprintf(p, sizeof p, "%s/L2/m", tfs_root);
	un_add_mount(fs, "/m", open(p, O_RDONLY | O_DIRECTORY), "volume:m");
	un_shadow *sh = un_shadow_build(fs, 2);
	expect_why(sh, "/a/x", 2, UN_HID_DELETED, "/a/x", UN_MK_WHITEOUT);
	expect_why(sh, "/a/y", 2, UN_HID_SHOWN, NULL, 0);
	expect_why(sh, "/a", 2, UN_HID_REPLACED, NULL, 0);
	expect_why(sh, "/b/z", 2, UN_HID_DELETED, "/b", UN_MK_OPAQUE);
	expect_why(sh, "/b", 2, UN_HID_REPLACED, NULL, 0);
	expect_why(sh, "/c/k", 2, UN_HID_DELETED, "/c", UN_MK_NONDIR);
	expect_why(sh, "/c", 2, UN_HID_REPLACED, NULL, 0);
	expect_why(sh, "/d/e", 2, UN_HID_REPLACED, NULL, 0);
	expect_why(sh, "/m/n", 2, UN_HID_MOUNTED, "/m", UN_MK_MOUNT);
	/* the -init layer's entries, asked below layer 1 */
	expect_why(sh, "/init.txt", 1, UN_HID_DELETED, "/init.txt", UN_MK_WHITEOUT);
	expect_why(sh, "/dockerenv", 1, UN_HID_SHOWN, NULL, 0);
	dbuf b = {0};
	un_shadow_unused(sh, on_unused, &b);
	assert_string_equal(b.p, "/gone;");
	db_free(&b);
	/* the markers' own inodes: aufs' .wh.<name> and .wh..wh..opq */
	struct statx sx;
	struct stat st;
	de_err e;
	un_marker wh = {"/a/x", UN_MK_WHITEOUT, 0}, opq = {"/b", UN_MK_OPAQUE, 0};
	assert_int_equal(un_shadow_marker_stat(sh, &wh, &sx, &e), 0);
	snprintf(p, sizeof p, "%s/L0/a/.wh.x", tfs_root);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(sx.stx_ino, st.st_ino);
	assert_int_equal(un_shadow_marker_stat(sh, &opq, &sx, &e), 0);
	snprintf(p, sizeof p, "%s/L0/b/.wh..wh..opq", tfs_root);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(sx.stx_ino, st.st_ino);
	un_marker far = {"/no/such/dir", UN_MK_WHITEOUT, 0};
	assert_int_equal(un_shadow_marker_stat(sh, &far, &sx, &e), -1);
	un_shadow_free(sh);
	/* a layer raw: its whiteouts and aufs' bookkeeping, said as such */
	un_fs *raw = un_slice_raw(fs, 0);
	void *arg[3] = {raw, fs, &b};
	assert_int_equal(un_walk(raw, "/a", raw_entry, arg, &e), 0);
	assert_int_equal(un_walk(raw, "/b", raw_entry, arg, &e), 0);
	assert_string_equal(b.p, "/a/.wh.x=1:/a/x;/b/.wh..wh..opq=2;/b/new=0;");
	db_free(&b);
	un_free(raw);
	un_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_aufs_rules, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_stay_in_the_view, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_walk_and_mounts, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_file_mounts, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_file_mount_sources_refused, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_overlay_rules, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_shadow_why, tfs_setup, tfs_teardown),
	};
	return cmocka_run_group_tests_name("union", tests, NULL, NULL);
}

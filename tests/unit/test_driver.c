/* Unit tests: driver/ — mount commands from constructed layouts, and the
 * refusal of hostile index files. The expected commands are de.py's, as the
 * foundation issue spells them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testfs.h"
#include "driver/driver.h"
#include "util/pathutil.h"

static char *joined(const de_cmdlist *l, size_t i)
{
	return sv_join(&l->v[i], " ");
}

static int commands(const char *driver, const char *mid, de_cmdlist *out, de_err *e)
{
	ev_root r;
	de_container c = {.id = "cid", .mount_id = (char *)mid};
	char path[512];
	snprintf(path, sizeof path, "%s/d", tfs_root);
	if (ev_root_open(&r, path, e) < 0)
		return -1;
	int rc = de_driver_find(driver)->mount_commands(&r, &c, "/mnt/c", out, e);
	ev_root_close(&r);
	return rc;
}

static void test_overlay2(void **state)
{
	(void)state;
	de_cmdlist l = {0};
	de_err e;
	tfs_puts("d/overlay2/m1/lower", "l/AAA:l/BBB\n");
	tfs_mkdir("d/overlay2/m1/diff");
	tfs_mkdir("d/overlay2/a/diff");
	tfs_mkdir("d/overlay2/b/diff");
	tfs_symlink("../a/diff", "d/overlay2/l/AAA");
	tfs_symlink("../b/diff", "d/overlay2/l/BBB");
	assert_int_equal(commands("overlay2", "m1", &l, &e), 0);
	assert_int_equal(l.n, 1);
	char *s = joined(&l, 0), *want = xasprintf(
		"/bin/mount -t overlay overlay -o ro,lowerdir=%s/d/overlay2/m1/diff:%s/d/overlay2/l/AAA:"
		"%s/d/overlay2/l/BBB /mnt/c", tfs_root, tfs_root, tfs_root);
	assert_string_equal(s, want);
	free(s);
	free(want);
	de_cmdlist_free(&l);

	/* a lower entry that climbs out is refused, naming the driver */
	tfs_puts("d/overlay2/m2/lower", "l/AAA:../../../etc");
	assert_int_equal(commands("overlay2", "m2", &l, &e), -1);
	assert_non_null(strstr(e.msg, "overlay2"));
	assert_non_null(strstr(e.msg, "../../../etc"));
	de_cmdlist_free(&l);
	tfs_puts("d/overlay2/m3/lower", "l/..:l/A");
	assert_int_equal(commands("overlay2", "m3", &l, &e), -1);
	de_cmdlist_free(&l);
	/* the kernel follows links: a layer dir or an l/ link that points out
	 * is not given to it */
	tfs_puts("d/overlay2/m4/lower", "l/AAA");
	tfs_symlink("/etc", "d/overlay2/m4/diff");
	assert_int_equal(commands("overlay2", "m4", &l, &e), -1);
	assert_non_null(strstr(e.msg, "m4/diff"));
	de_cmdlist_free(&l);
	tfs_puts("d/overlay2/m5/lower", "l/CCC");
	tfs_mkdir("d/overlay2/m5/diff");
	tfs_symlink("/etc", "d/overlay2/l/CCC");
	assert_int_equal(commands("overlay2", "m5", &l, &e), -1);
	assert_non_null(strstr(e.msg, "l/CCC"));
	de_cmdlist_free(&l);
	/* missing lower file */
	assert_int_equal(commands("overlay2", "nope", &l, &e), -1);
	assert_non_null(strstr(e.msg, "overlay2"));
	de_cmdlist_free(&l);
}

static void test_overlay(void **state)
{
	(void)state;
	de_cmdlist l = {0};
	de_err e;
	tfs_puts("d/overlay/m1/lower-id", "img1\n");
	tfs_mkdir("d/overlay/m1/upper");
	tfs_mkdir("d/overlay/img1/root");
	assert_int_equal(commands("overlay", "m1", &l, &e), 0);
	char *s = joined(&l, 0), *want = xasprintf(
		"/bin/mount -t overlay overlay -o ro,lowerdir=%s/d/overlay/m1/upper:%s/d/overlay/img1/root"
		" /mnt/c", tfs_root, tfs_root);
	assert_string_equal(s, want);
	free(s);
	free(want);
	de_cmdlist_free(&l);
	tfs_puts("d/overlay/m2/lower-id", "../x");
	assert_int_equal(commands("overlay", "m2", &l, &e), -1);
	assert_non_null(strstr(e.msg, "overlay:"));
	de_cmdlist_free(&l);
	/* the kernel follows links: an upper or an image root that points out
	 * is not given to it, and the driver and the directory are named */
	tfs_puts("d/overlay/m3/lower-id", "img1");
	tfs_symlink("/etc", "d/overlay/m3/upper");
	assert_int_equal(commands("overlay", "m3", &l, &e), -1);
	assert_non_null(strstr(e.msg, "overlay: "));
	assert_non_null(strstr(e.msg, "/d/overlay/m3/upper is not a directory"));
	de_cmdlist_free(&l);
	tfs_puts("d/overlay/m4/lower-id", "img4");
	tfs_mkdir("d/overlay/m4/upper");
	tfs_symlink("/etc", "d/overlay/img4");
	assert_int_equal(commands("overlay", "m4", &l, &e), -1);
	assert_non_null(strstr(e.msg, "/d/overlay/img4 is not a directory"));
	assert_int_equal(l.n, 0);
	de_cmdlist_free(&l);
}

static void test_aufs(void **state)
{
	(void)state;
	de_cmdlist l = {0};
	de_err e;
	tfs_puts("d/aufs/layers/m1", "m1-init\nL2\nL1\n");
	tfs_mkdir("d/aufs/diff/m1");
	tfs_mkdir("d/aufs/diff/m1-init");
	tfs_mkdir("d/aufs/diff/L2");
	tfs_mkdir("d/aufs/diff/L1");
	assert_int_equal(commands("aufs", "m1", &l, &e), 0);
	assert_int_equal(l.n, 4);
	char *s = joined(&l, 0), *want = xasprintf(
		"/bin/mount -t aufs -o ro,br=%s/d/aufs/diff/m1=ro+wh none /mnt/c", tfs_root);
	assert_string_equal(s, want);
	free(s);
	free(want);
	s = joined(&l, 3);
	want = xasprintf("/bin/mount -t aufs -o ro,remount,append:%s/d/aufs/diff/L1=ro+wh none /mnt/c",
	                 tfs_root);
	assert_string_equal(s, want);
	free(s);
	free(want);
	de_cmdlist_free(&l);
	tfs_puts("d/aufs/layers/m2", "ok\n../../etc\n");
	assert_int_equal(commands("aufs", "m2", &l, &e), -1);
	assert_non_null(strstr(e.msg, "aufs"));
	de_cmdlist_free(&l);
	/* every branch is checked, not only the top: a lower one links out */
	tfs_puts("d/aufs/layers/m3", "L2\nOUT\n");
	tfs_mkdir("d/aufs/diff/m3");
	tfs_symlink("/etc", "d/aufs/diff/OUT");
	assert_int_equal(commands("aufs", "m3", &l, &e), -1);
	assert_non_null(strstr(e.msg, "aufs: "));
	assert_non_null(strstr(e.msg, "/d/aufs/diff/OUT is not a directory"));
	assert_int_equal(l.n, 0);
	de_cmdlist_free(&l);
}

static void test_vfs_and_upper(void **state)
{
	(void)state;
	de_cmdlist l = {0};
	de_err e;
	tfs_mkdir("d/vfs/dir/m1");
	assert_int_equal(commands("vfs", "m1", &l, &e), 0);
	char *s = joined(&l, 0), *want = xasprintf("/bin/mount --bind -o ro %s/d/vfs/dir/m1 /mnt/c",
	                                          tfs_root);
	assert_string_equal(s, want);
	free(s);
	free(want);
	de_cmdlist_free(&l);

	/* the kernel's bind follows links: a vfs dir that links out */
	tfs_symlink("/etc", "d/vfs/dir/m2");
	assert_int_equal(commands("vfs", "m2", &l, &e), -1);
	assert_non_null(strstr(e.msg, "vfs: "));
	assert_non_null(strstr(e.msg, "/d/vfs/dir/m2 is not a directory"));
	de_cmdlist_free(&l);

	de_container c = {.id = "cid", .mount_id = "m1"};
	const char *want_up[][2] = {{"aufs", "aufs/diff/m1"}, {"overlay", "overlay/m1/upper"},
	                            {"overlay2", "overlay2/m1/diff"}, {"vfs", "vfs/dir/m1"}};
	for (size_t i = 0; i < 4; i++) {
		char *up = de_driver_find(want_up[i][0])->upper_dir(&c);
		assert_string_equal(up, want_up[i][1]);
		free(up);
	}
	assert_null(de_driver_find("btrfs"));
	assert_null(de_driver_find(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_overlay2, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_overlay, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_aufs, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_vfs_and_upper, tfs_setup, tfs_teardown),
	};
	return cmocka_run_group_tests_name("driver", tests, NULL, NULL);
}

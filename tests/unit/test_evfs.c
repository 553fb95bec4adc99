/* Unit tests: util/evfs — reads stay below the evidence root, and bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testfs.h"
#include "util/evfs.h"
#include "util/toml.h"

static void check_escapes(ev_root *r);

static void test_links_cannot_leave(void **state)
{
	(void)state;
	ev_root r;
	de_err e;
	tfs_puts("root/a/file", "inside\n");
	tfs_puts("outside", "secret\n");
	tfs_symlink("/etc/passwd", "root/abs");
	tfs_symlink("../outside", "root/up");
	tfs_symlink("a/../../outside", "root/a/deep");
	tfs_symlink("/proc/self/root/etc/passwd", "root/proc");
	tfs_symlink("a/file", "root/rel");
	tfs_symlink("loop2", "root/loop1");
	tfs_symlink("loop1", "root/loop2");
	char path[512];
	snprintf(path, sizeof path, "%s/root", tfs_root);
	assert_int_equal(ev_root_open(&r, path, &e), 0);

	size_t len;
	char *s = ev_read(&r, "rel", 100, &len, &e);   /* a link that stays inside: followed */
	assert_non_null(s);
	assert_string_equal(s, "inside\n");
	free(s);
	check_escapes(&r);
	/* Without openat2 every symlink is refused, and the rest still works. */
	ev_use_walk_fallback(true);
	assert_null(ev_read(&r, "rel", 100, &len, &e));
	s = ev_read(&r, "a/file", 100, &len, &e);
	assert_non_null(s);
	free(s);
	strvec v = {0};
	assert_int_equal(ev_list(&r, "", &v, &e), 0);
	assert_int_equal(v.n, 7);   /* a abs up proc rel loop1 loop2 */
	sv_free(&v);
	assert_int_equal(ev_list(&r, "./a/", &v, &e), 0);
	assert_int_equal(v.n, 2);
	sv_free(&v);
	check_escapes(&r);
	ev_use_walk_fallback(false);
	ev_root_close(&r);
}

static void check_escapes(ev_root *r)
{
	de_err e;
	size_t len;
	char *s;
	const char *escapes[] = {"abs", "up", "a/deep", "proc", "../outside", "a/../../outside",
	                         "loop1"};
	for (size_t i = 0; i < sizeof escapes / sizeof *escapes; i++) {
		s = ev_read(r, escapes[i], 100, &len, &e);
		assert_null(s);
		assert_non_null(strstr(e.msg, escapes[i]));   /* the message names the path */
	}
	assert_false(ev_is_file(r, "abs"));
}

static void test_bounds_and_tokens(void **state)
{
	(void)state;
	ev_root r;
	de_err e;
	char big[5000];
	memset(big, 'x', sizeof big);
	tfs_write("r/big", big, sizeof big);
	tfs_puts("r/id", "  abc123\n\n");
	tfs_puts("r/empty", " \n");
	tfs_write("r/nul", "ab\0cd", 5);
	tfs_puts("r/bad.json", "{\"a\": [1, 2}");
	tfs_puts("r/good.json", "{\"a\": 1, \"a\": 2}");
	char path[512];
	snprintf(path, sizeof path, "%s/r", tfs_root);
	assert_int_equal(ev_root_open(&r, path, &e), 0);

	size_t len;
	assert_null(ev_read(&r, "big", 4999, &len, &e));
	assert_non_null(strstr(e.msg, "refused"));
	char *s = ev_read(&r, "big", 5000, &len, &e);
	assert_non_null(s);
	assert_int_equal(len, 5000);
	free(s);

	s = ev_read_token(&r, "id", &e);
	assert_string_equal(s, "abc123");
	free(s);
	assert_null(ev_read_token(&r, "empty", &e));
	assert_null(ev_read_token(&r, "nul", &e));
	assert_non_null(strstr(e.msg, "NUL"));

	assert_null(ev_read_json(&r, "bad.json", 100, &e));
	assert_non_null(strstr(e.msg, "bad.json"));
	assert_non_null(strstr(e.msg, "line 1"));
	json_t *j = ev_read_json(&r, "good.json", 100, &e);
	assert_non_null(j);   /* duplicate keys: the last wins, as in Go */
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 2);
	json_decref(j);
	ev_root_close(&r);
}

static void test_list_sorted(void **state)
{
	(void)state;
	ev_root r;
	de_err e;
	strvec v = {0};
	tfs_puts("l/b", "");
	tfs_puts("l/a", "");
	tfs_mkdir("l/C");
	char path[512];
	snprintf(path, sizeof path, "%s/l", tfs_root);
	assert_int_equal(ev_root_open(&r, path, &e), 0);
	assert_int_equal(ev_list(&r, "", &v, &e), 0);
	assert_int_equal(v.n, 3);
	assert_string_equal(v.v[0], "C");
	assert_string_equal(v.v[1], "a");
	assert_string_equal(v.v[2], "b");
	sv_free(&v);
	assert_int_equal(ev_list(&r, "missing", &v, &e), -1);
	ev_root_close(&r);
}

/* A host root: absolute symlinks resolve inside it, with openat2 and by hand. */
static void test_host_root(void **state)
{
	(void)state;
	ev_root r;
	de_err e;
	tfs_puts("h/volumes/data/docker/x", "in the image\n");
	tfs_symlink("/volumes/data", "h/data");
	tfs_symlink("../../../../../volumes/data/docker/x", "h/up");
	tfs_symlink("hloop", "h/hloop");
	char path[512];
	snprintf(path, sizeof path, "%s/h", tfs_root);
	assert_int_equal(ev_root_open_host(&r, path, &e), 0);
	for (int fallback = 0; fallback < 2; fallback++) {
		ev_use_walk_fallback(fallback);
		size_t len;
		char *s = ev_read(&r, "data/docker/x", 100, &len, &e);
		assert_non_null(s);
		assert_string_equal(s, "in the image\n");
		free(s);
		s = ev_read(&r, "up", 100, &len, &e);   /* ".." stops at the root */
		assert_non_null(s);
		free(s);
		assert_true(ev_is_dir(&r, "/data/docker"));
		assert_null(ev_read(&r, "hloop", 100, &len, &e));
	}
	ev_use_walk_fallback(false);
	ev_root_close(&r);
}


/* The engines' TOML settings: a key is taken from its own table only (a
 * `root` inside a plugin's table is not containerd's root). The top of the
 * file is what containerd 1.6's `containerd config default` writes. */
static void test_toml_string(void **state)
{
	(void)state;
	ev_root r;
	de_err e;
	tfs_puts("t/config.toml",
	         "version = 2\n"
	         "# root = \"/commented\"\n"
	         "  state = '/run/alt'   # a literal string\n"
	         "[plugins.\"io.containerd.snapshotter.v1.devmapper\"]\n"
	         "  root_path = \"\"\n"
	         "  root = \"/not/this\"\n"
	         "[ storage ]\n"
	         "graphroot=\"/data/containers\"\n"
	         "runroot = \"unterminated\n"
	         "[engine]\n"
	         "database_backend = \"sqlite\"\n");
	tfs_puts("t/top.toml", "root = \"/data/ctd\"\nstate = \"a\\\"b\"\n");
	char path[512];
	snprintf(path, sizeof path, "%s/t", tfs_root);
	assert_int_equal(ev_root_open(&r, path, &e), 0);
	char *v;
	assert_null(de_toml_string(&r, "config.toml", NULL, "root"));
	assert_string_equal(v = de_toml_string(&r, "config.toml", NULL, "state"), "/run/alt");
	free(v);
	assert_string_equal(v = de_toml_string(&r, "config.toml", "storage", "graphroot"),
	                    "/data/containers");
	free(v);
	assert_null(de_toml_string(&r, "config.toml", "storage", "runroot"));
	assert_string_equal(v = de_toml_string(&r, "config.toml", "engine", "database_backend"),
	                    "sqlite");
	free(v);
	assert_null(de_toml_string(&r, "config.toml", "engine", "graphroot"));
	assert_string_equal(v = de_toml_string(&r, "top.toml", NULL, "root"), "/data/ctd");
	free(v);
	assert_string_equal(v = de_toml_string(&r, "top.toml", "", "state"), "a\\\"b");
	free(v);
	assert_null(de_toml_string(&r, "absent.toml", NULL, "root"));
	ev_root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_links_cannot_leave, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_bounds_and_tokens, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_list_sorted, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_host_root, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_toml_string, tfs_setup, tfs_teardown),
	};
	return cmocka_run_group_tests_name("evfs", tests, NULL, NULL);
}

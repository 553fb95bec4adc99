/* Unit tests: util/pathutil — hostile names and the paths built from them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/pathutil.h"

static void test_safe_name(void **state)
{
	(void)state;
	char long_name[300];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_true(de_safe_name("17ffadfaea87e76d7819f50c73275663a1c4681b7d6ac1def3d159af37f3e185"));
	assert_true(de_safe_name("abc-init"));
	assert_false(de_safe_name(""));
	assert_false(de_safe_name("."));
	assert_false(de_safe_name(".."));
	assert_false(de_safe_name("../etc"));
	assert_false(de_safe_name("a/b"));
	assert_false(de_safe_name("a\nb"));
	assert_false(de_safe_name(long_name));
	long_name[255] = '\0';
	assert_true(de_safe_name(long_name));
}

static void check_join(const char *a, const char *b, const char *want)
{
	char *p = de_path_join(a, b);
	assert_string_equal(p, want);
	free(p);
}

static void test_join_and_host(void **state)
{
	(void)state;
	check_join("/mnt/root", "srv/data", "/mnt/root/srv/data");
	check_join("/mnt/root/", "/srv/data", "/mnt/root/srv/data");
	check_join("/", "/srv", "/srv");
	check_join("", "x", "x");
	check_join("/mnt", "/", "/mnt");
	char *h = de_host_path("/mnt/root", "/srv/data");
	assert_string_equal(h, "/mnt/root/srv/data");
	free(h);
	h = de_host_path("", "/srv/data");
	assert_string_equal(h, "/srv/data");
	free(h);
	h = de_host_path("/", "/srv/data");
	assert_string_equal(h, "/srv/data");
	free(h);
}

static void test_suffix(void **state)
{
	(void)state;
	size_t n = 99;
	assert_true(de_path_strip_suffix("/mnt/root/var/lib/docker", "/var/lib/docker", &n));
	assert_int_equal(n, 9);
	assert_true(de_path_strip_suffix("/mnt/root/var/lib/docker//", "/var/lib/docker", &n));
	assert_int_equal(n, 9);
	assert_true(de_path_strip_suffix("/var/lib/docker", "/var/lib/docker", &n));
	assert_int_equal(n, 0);
	assert_false(de_path_strip_suffix("/mnt/root/docker", "/var/lib/docker", &n));
}

static void quote(const char *in, const char *want)
{
	dbuf b = {0};
	de_shell_quote(&b, in);
	assert_string_equal(b.p, want);
	db_free(&b);
}

static void test_shell_quote(void **state)
{
	(void)state;
	quote("/bin/mount", "/bin/mount");
	quote("ro,lowerdir=/a:/b", "ro,lowerdir=/a:/b");
	quote("/mnt/with space", "'/mnt/with space'");
	quote("it's", "'it'\\''s'");
	quote("", "''");
	quote("$(reboot)", "'$(reboot)'");
}

static void test_hex(void **state)
{
	(void)state;
	assert_true(de_is_hex("0123abcdef", 10));
	assert_false(de_is_hex("0123ABCDEF", 10));
	assert_false(de_is_hex("0123", 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_name),
		cmocka_unit_test(test_join_and_host),
		cmocka_unit_test(test_suffix),
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_hex),
	};
	return cmocka_run_group_tests_name("pathutil", tests, NULL, NULL);
}

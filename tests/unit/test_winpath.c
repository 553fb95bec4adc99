/* Unit tests: util/winpath — Windows paths from Docker on Windows placed on
 * the analyst's copy, and the hostile ones left as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/winpath.h"

static void placed(const char *p, const char *root, const char *host, const char *want)
{
	char *got = de_win_place(p, root, "/ev/ProgramData/docker", host);
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	free(got);
}

static void test_place(void **state)
{
	(void)state;
	const char *r = "C:\\ProgramData\\docker";
	placed("C:\\ProgramData\\docker\\volumes\\v\\_data", r, "/ev", "/ev/ProgramData/docker/volumes/v/_data");
	placed("c:\\programdata\\DOCKER\\containers\\x", r, "", "/ev/ProgramData/docker/containers/x");
	placed("\\\\?\\C:\\ProgramData\\docker\\x", r, "", "/ev/ProgramData/docker/x");
	placed("C:/data/a", r, "/ev", "/ev/data/a");
	placed("C:\\data", r, "", NULL);              /* host root unknown: as written */
	placed("D:\\data", r, "/ev", NULL);           /* another drive */
	placed("\\\\server\\share\\x", r, "/ev", NULL);
	placed("C:\\ProgramData\\docker\\..\\..\\etc", r, "/ev", NULL);
	placed("C:\\ProgramData\\dockerX\\y", r, "/ev", "/ev/ProgramData/dockerX/y");
	placed("D:\\docker\\volumes\\v", "D:\\docker", "/ev", "/ev/ProgramData/docker/volumes/v");
	assert_false(de_win_is_path("/var/lib/docker"));
	assert_false(de_win_is_path("C:"));
	assert_true(de_win_is_path("x:/y"));
}

static void test_data_root(void **state)
{
	(void)state;
	char *r = de_win_data_root("D:\\docker\\Containers\\ab\\ab-json.log", "ab");
	assert_string_equal(r, "D:\\docker");
	free(r);
	r = de_win_data_root("D:\\logs\\ab.log", "ab");
	assert_string_equal(r, "C:\\ProgramData\\docker");
	free(r);
	r = de_win_data_root(NULL, "ab");
	assert_string_equal(r, "C:\\ProgramData\\docker");
	free(r);
	assert_string_equal(de_win_basename("C:\\a\\windowsfilter\\abc"), "abc");
	assert_string_equal(de_win_basename("abc"), "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_place),
		cmocka_unit_test(test_data_root),
	};
	return cmocka_run_group_tests_name("winpath", tests, NULL, NULL);
}

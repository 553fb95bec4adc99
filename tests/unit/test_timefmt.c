/* Unit tests: util/timefmt — Docker's RFC 3339 times in de.py's ISO form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/timefmt.h"

static void iso(const char *in, const char *want)
{
	de_time t;
	char buf[64];
	assert_int_equal(de_time_parse(in, &t), 0);
	de_time_iso(&t, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void test_docker_forms(void **state)
{
	(void)state;
	/* nanoseconds are cut, not rounded, to microseconds */
	iso("2018-05-16T10:51:39.625989123Z", "2018-05-16T10:51:39.625989+00:00");
	iso("2018-05-16T10:51:39.999999999Z", "2018-05-16T10:51:39.999999+00:00");
	/* Go trims trailing zeros: one digit is tenths */
	iso("2018-05-16T10:51:39.5Z", "2018-05-16T10:51:39.500000+00:00");
	/* no fraction, or a fraction below a microsecond: none printed */
	iso("2018-05-16T10:51:39Z", "2018-05-16T10:51:39+00:00");
	iso("2018-05-16T10:51:39.000000999Z", "2018-05-16T10:51:39+00:00");
	iso("2018-05-16T12:51:39.1+02:00", "2018-05-16T12:51:39.100000+02:00");
	iso("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00");
}

static void test_zero_and_order(void **state)
{
	(void)state;
	de_time a, b, z;
	assert_int_equal(de_time_parse("0001-01-01T00:00:00Z", &z), 0);
	assert_true(de_time_is_zero(&z));
	assert_int_equal(de_time_parse("2018-05-16T10:51:39.5Z", &a), 0);
	assert_false(de_time_is_zero(&a));
	/* the same instant written in two zones */
	assert_int_equal(de_time_parse("2018-05-16T12:51:39.5+02:00", &b), 0);
	assert_int_equal(de_time_cmp(&a, &b), 0);
	assert_int_equal(de_time_parse("2018-05-16T10:51:39.45Z", &b), 0);
	assert_true(de_time_cmp(&b, &a) < 0);   /* .45 before .5: not a string order */
	assert_true(de_time_cmp(&z, &a) < 0);
	assert_int_equal(a.epoch, 1526467899);
}

static void test_rejects(void **state)
{
	(void)state;
	de_time t;
	const char *bad[] = {"", "2018", "2018-05-16", "2018-05-16T10:51:39",
	                     "2018-13-16T10:51:39Z", "2018-02-30T10:51:39Z", "2018-05-16T24:00:00Z",
	                     "2018-05-16T10:51:39.Z", "2018-05-16T10:51:39Zjunk",
	                     "2018-05-16T10:51:39+0200", "x018-05-16T10:51:39Z"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(de_time_parse(bad[i], &t), -1);
	assert_int_equal(de_time_parse("2016-02-29T00:00:00Z", &t), 0);   /* leap day */
}

static void test_from_unix(void **state)
{
	(void)state;
	de_time t;
	char buf[64];
	de_time_from_unix(1526467899, 625989000, &t);
	de_time_iso(&t, buf, sizeof buf);
	assert_string_equal(buf, "2018-05-16T10:51:39.625989+00:00");
	de_time_from_unix(-1, 0, &t);
	de_time_iso(&t, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59+00:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_forms),
		cmocka_unit_test(test_zero_and_order),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_from_unix),
	};
	return cmocka_run_group_tests_name("timefmt", tests, NULL, NULL);
}

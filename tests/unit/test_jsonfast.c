/* Unit tests: util/jscan (the validating scanner) and output/json_out's
 * streaming writer, each against jansson as the oracle: js_validate must
 * accept exactly what json_loadb(JSON_ALLOW_NUL) accepts, and de_jw must
 * write byte for byte what json_dumpf writes with de's flags. The inputs
 * are the edge cases of jansson's lexer and dumper; the expected answers
 * are jansson's own, computed here. (tests/fuzz/fuzz_jscan.c does the same
 * on fuzzed documents.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/json_out.h"
#include "util/jscan.h"

static void agrees(const char *doc, size_t len)
{
	json_t *j = json_loadb(doc, len, JSON_ALLOW_NUL, NULL);
	js_val root;
	int rc = js_validate(doc, len, &root);
	if ((rc == 0) != (j != NULL))
		fail_msg("jscan %s, jansson %s: \"%.*s\"", rc ? "rejects" : "accepts",
		         j ? "accepts" : "rejects", (int)(len > 60 ? 60 : len), doc);
	json_decref(j);
}

#define AGREES(lit) agrees(lit, sizeof lit - 1)

static void test_grammar(void **state)
{
	(void)state;
	AGREES("{}"); AGREES("[]"); AGREES(" \t\r\n{} \n"); AGREES(""); AGREES("   ");
	AGREES("1"); AGREES("\"s\""); AGREES("true"); AGREES("null");   /* not at the top */
	AGREES("{} x"); AGREES("{}{}"); AGREES("[1,]"); AGREES("{\"a\":1,}"); AGREES("{,}");
	AGREES("[,1]"); AGREES("{\"a\" 1}"); AGREES("{\"a\":}"); AGREES("{1:2}"); AGREES("[1 2]");
	AGREES("[true,false,null]"); AGREES("[truex]"); AGREES("[True]"); AGREES("[nul]");
	AGREES("[true1]"); AGREES("{\"a\":[{\"b\":{}}]}"); AGREES("[\"a\"\"b\"]"); AGREES("[}");
	AGREES("{]"); AGREES("[[]"); AGREES("[]]");
}

static void test_numbers(void **state)
{
	(void)state;
	AGREES("[0]"); AGREES("[-0]"); AGREES("[01]"); AGREES("[-01]"); AGREES("[-]"); AGREES("[+1]");
	AGREES("[1.]"); AGREES("[.5]"); AGREES("[1.5]"); AGREES("[1e5]"); AGREES("[1E+5]");
	AGREES("[1e-5]"); AGREES("[1e]"); AGREES("[1e+]"); AGREES("[0x10]"); AGREES("[1.5e3.2]");
	AGREES("[9223372036854775807]"); AGREES("[9223372036854775808]");
	AGREES("[-9223372036854775808]"); AGREES("[-9223372036854775809]");
	AGREES("[1e308]"); AGREES("[1e309]"); AGREES("[-1e400]"); AGREES("[1e-400]");
	AGREES("[123456789012345678901234567890.5]"); AGREES("[Infinity]"); AGREES("[NaN]");
}

static void test_strings(void **state)
{
	(void)state;
	AGREES("[\"\\u0000\"]"); AGREES("{\"\\u0000\":1}"); AGREES("{\"a\\u0000\":1}");
	AGREES("[\"\\ud83d\\ude00\"]"); AGREES("[\"\\ud83d\"]"); AGREES("[\"\\ude00\"]");
	AGREES("[\"\\ud83d\\u0041\"]"); AGREES("[\"\\ud83dx\"]"); AGREES("[\"\\u12\"]");
	AGREES("[\"\\u12g4\"]"); AGREES("[\"\\x41\"]"); AGREES("[\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"]");
	AGREES("[\"a\tb\"]"); AGREES("[\"a\nb\"]"); AGREES("[\"\x7f\"]"); AGREES("[\"unterminated]");
	AGREES("[\"\xc3\xa9\"]"); AGREES("[\"\xc3\"]"); AGREES("[\"\xc0\xaf\"]");
	AGREES("[\"\xe0\x80\xaf\"]"); AGREES("[\"\xed\xa0\x80\"]"); AGREES("[\"\xf4\x8f\xbf\xbf\"]");
	AGREES("[\"\xf4\x90\x80\x80\"]"); AGREES("[\"\xf5\x80\x80\x80\"]"); AGREES("[\"\x80\"]");
	AGREES("[\"\xff\"]"); AGREES("[\xc3\xa9]"); AGREES("{} \xc3\xa9");
	agrees("[\"a\0b\"]", 7);   /* a raw NUL is a control character */
	agrees("{}\0", 3);
	/* jansson loses one NUL put back after a number or a literal */
	agrees("[1\0]", 4); agrees("[null\0,true\0]", 13); agrees("{\"a\":1.5\0}", 10);
	agrees("[1\0\0]", 5); agrees("[1 \0]", 5); agrees("[\"s\"\0]", 6); agrees("[\0 1]", 5);
}

static void test_depth(void **state)
{
	(void)state;
	/* jansson counts every value: 2048 levels of arrays hold no scalar,
	 * 2047 hold one, and one more level is refused */
	for (size_t d = 2046; d <= 2050; d++)
		for (int scalar = 0; scalar < 2; scalar++) {
			char *s = malloc(2 * d + 2);
			size_t n = 0;
			for (size_t i = 0; i < d; i++)
				s[n++] = '[';
			if (scalar)
				s[n++] = '1';
			for (size_t i = 0; i < d; i++)
				s[n++] = ']';
			agrees(s, n);
			free(s);
		}
}

static void test_values(void **state)
{
	(void)state;
	const char *doc = "{\"a\":1,\"b\":\"x\\u00e9\",\"a\":[true,2.5,null],\"\\u0063\":{\"d\":-7}}";
	js_val root, f[4];
	static const char *const keys[4] = {"a", "b", "c", "zz"};
	assert_int_equal(js_validate(doc, strlen(doc), &root), 0);
	js_fields(root, keys, 4, f);
	assert_int_equal(js_type_of(f[0]), JS_ARRAY);   /* the last "a" */
	size_t n;
	char *s = js_strdup(f[1], &n);
	assert_string_equal(s, "x\xc3\xa9");
	free(s);
	assert_int_equal(js_type_of(f[2]), JS_OBJECT);   /* "\u0063" is "c" */
	assert_null(f[3].p);
	/* iteration: "a" at its first place with its last value, "b", "c" */
	js_iter it;
	js_val k, v;
	const char *order[] = {"a", "b", "c"};
	size_t i = 0;
	js_iter_init(&it, root);
	while (js_next_member(&it, &k, &v)) {
		assert_true(i < 3 && js_str_eq(k, order[i]));
		if (i == 0)
			assert_int_equal(js_type_of(v), JS_ARRAY);
		i++;
	}
	assert_int_equal(i, 3);
	assert_int_equal(js_count(root), 4);
	int64_t x;
	js_val dv;
	static const char *const dk[1] = {"d"};
	js_fields(f[2], dk, 1, &dv);
	assert_true(js_int(dv, &x) && x == -7);
}

/* ---- the writer ------------------------------------------------------------ */

static char *jansson_text(const json_t *j)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	assert_int_equal(de_json_print(f, j), 0);
	fclose(f);
	return p;
}

static char *writer_text(const json_t *j)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	static de_jw w;
	de_jw_init(&w, f);
	de_jw_json(&w, j);
	assert_int_equal(de_jw_finish(&w), 0);
	fclose(f);
	return p;
}

static void same_text(const json_t *j)
{
	char *a = jansson_text(j), *b = writer_text(j);
	assert_string_equal(b, a);
	free(a);
	free(b);
}

static void test_writer_values(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"[]", "{}", "[[]]", "[{}]", "{\"a\":{}}", "{\"a\":[]}", "[1,-2,9223372036854775807]",
		"[1.5,1e300,-0.0,3.0,1e-7,0.1,123456789.125]", "[true,false,null]",
		"{\"k\\u00e9y\":\"v\\u0000w\",\"\\ud83d\\ude00\":\"\\u001f\\u007f\\\"\\\\/\\b\\f\\n\\r\\t\"}",
		"{\"z\":1,\"a\":2,\"m\":{\"y\":[1,{\"x\":[]}],\"b\":\"\\u2028\"}}",
		"[\"\\u00ff\\u0100\\uffff\\ud800\\udc00\\udbff\\udfff\"]",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		json_t *j = json_loads(docs[i], JSON_ALLOW_NUL, NULL);
		assert_non_null(j);
		same_text(j);
		json_decref(j);
	}
}

/* The calls `list` makes, against the same document built with jansson. */
static void test_writer_stream(void **state)
{
	(void)state;
	json_t *labels = json_loads("{\"case\":\"4711\",\"n\":{\"deep\":[1,2]}}", 0, NULL);
	json_t *arr = json_array();
	for (int i = 0; i < 2; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "s", de_json_str("a\xff" "b\xc3\xa9"));   /* invalid byte */
		json_object_set(o, "labels", labels);
		json_object_set_new(o, "null", de_json_str(NULL));
		json_object_set_new(o, "n", json_integer(-42));
		json_t *m = json_array();
		json_array_append_new(m, json_object());
		json_object_set_new(o, "mounts", m);
		json_object_set_new(o, "empty", json_array());
		json_array_append_new(arr, o);
	}
	char *want = jansson_text(arr);
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	static de_jw w;
	de_jw_init(&w, f);
	de_jw_open_array(&w);
	for (int i = 0; i < 2; i++) {
		de_jw_open_object(&w);
		de_jw_key(&w, "s");
		de_jw_str(&w, "a\xff" "b\xc3\xa9");
		de_jw_key(&w, "labels");
		de_jw_json(&w, labels);
		de_jw_key(&w, "null");
		de_jw_str(&w, NULL);
		de_jw_key(&w, "n");
		de_jw_int(&w, -42);
		de_jw_key(&w, "mounts");
		de_jw_open_array(&w);
		de_jw_open_object(&w);
		de_jw_close(&w);
		de_jw_close(&w);
		de_jw_key(&w, "empty");
		de_jw_open_array(&w);
		de_jw_close(&w);
		de_jw_close(&w);
	}
	de_jw_close(&w);
	assert_int_equal(de_jw_finish(&w), 0);
	fclose(f);
	assert_string_equal(p, want);
	free(p);
	free(want);
	json_decref(arr);
	json_decref(labels);
	/* an empty list */
	arr = json_array();
	want = jansson_text(arr);
	f = open_memstream(&p, &n);
	de_jw_init(&w, f);
	de_jw_open_array(&w);
	de_jw_close(&w);
	assert_int_equal(de_jw_finish(&w), 0);
	fclose(f);
	assert_string_equal(p, want);
	free(p);
	free(want);
	json_decref(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_writer_values),
		cmocka_unit_test(test_writer_stream),
	};
	return cmocka_run_group_tests_name("jsonfast", tests, NULL, NULL);
}

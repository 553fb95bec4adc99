/*
 * jscan.h — a validating JSON scanner for the hot paths that read a few
 * fields of many documents (Docker's config.v2.json, for `list`), without
 * building a document tree.
 *
 * Contract:
 *  - js_validate() accepts exactly the documents jansson's
 *    json_loadb(…, JSON_ALLOW_NUL) accepts (what ev_parse_json parses), and
 *    rejects the others: an object or array at the top, then only
 *    whitespace; strings of valid UTF-8 (no surrogates, no overlong forms)
 *    without raw control characters, escapes as jansson decodes them
 *    (\u surrogates paired), no NUL in an object key; numbers in JSON's
 *    grammar, integers within int64, reals that do not overflow a double;
 *    nesting at most JS_MAX_DEPTH values deep (jansson's
 *    JSON_PARSER_MAX_DEPTH); and, as jansson, one NUL byte right after a
 *    number or a literal is skipped (its lexer loses it). tests/fuzz/fuzz_jscan.c checks this against
 *    jansson, value for value.
 *  - Everything else reads a js_val of a document that js_validate()
 *    accepted (no re-validation): a value is its raw text. Objects read as
 *    jansson's do: of duplicate keys the last value counts (js_fields), and
 *    iteration (js_next_member) gives each key where it first appeared,
 *    with its last value (jansson replaces a value in place).
 *  - Nothing allocates but js_strdup and js_key_dup.
 */
#ifndef DE_JSCAN_H
#define DE_JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JS_MAX_DEPTH 2048

/* The raw text of one JSON value; p == NULL: absent. */
typedef struct js_val {
	const char *p;
	size_t n;
} js_val;

typedef enum js_type {
	JS_ABSENT, JS_OBJECT, JS_ARRAY, JS_STRING, JS_INTEGER, JS_REAL, JS_TRUE, JS_FALSE, JS_NULL
} js_type;

/* 0 and the document's value in *root, or -1 where jansson rejects buf. */
int js_validate(const char *buf, size_t len, js_val *root);

/* The same, reading on the way the top-level members named keys[] (the
 * last of duplicates, as js_fields): one pass over the text. */
int js_validate_fields(const char *buf, size_t len, js_val *root, const char *const keys[],
                       size_t nkeys, js_val out[]);

js_type js_type_of(js_val v);

/* For each keys[i], the value of the last member of object obj named so
 * (out[i].p NULL when none, or when obj is not an object). */
void js_fields(js_val obj, const char *const keys[], size_t n, js_val out[]);

/* Members of an object, or elements of an array, in order. js_next_member
 * gives a key's first place and last value (jansson's object), and skips
 * the later duplicates: iterating an object of n members costs O(n²) key
 * comparisons when keys repeat, so callers bound n (js_count). */
typedef struct js_iter {
	const char *p, *end;   /* the next member or element; end: the closing bracket */
	js_val obj;            /* the object iterated (duplicates are looked up in it) */
} js_iter;
void js_iter_init(js_iter *it, js_val container);
bool js_next_member(js_iter *it, js_val *key, js_val *val);
bool js_next_elem(js_iter *it, js_val *val);
/* Members or elements of a container, duplicates counted; 0 for a scalar. */
size_t js_count(js_val container);

/* A string value decoded: its bytes (NUL-terminated; *len excludes the
 * NUL and counts a decoded \u0000), or NULL when v is not a string. */
char *js_strdup(js_val v, size_t *len);
/* A key (or any string value) compared, decoded, with s. */
bool js_str_eq(js_val v, const char *s);
/* An integer value as jansson reads it (json_is_integer); false otherwise. */
bool js_int(js_val v, int64_t *out);

#endif

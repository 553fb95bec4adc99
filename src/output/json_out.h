/*
 * json_out.h — JSON as de prints it.
 *
 * de.py printed json.dumps(indent=4) with ASCII escapes; we keep 4-space
 * indentation and \uXXXX escapes of non-ASCII so that output diffs against
 * de.py's stay readable, and keep keys in the order we insert them. Strings
 * taken from file names may hold invalid UTF-8, which JSON cannot carry:
 * de_json_str() writes each invalid byte as the text \xNN instead, so
 * nothing is dropped and nothing can break the document.
 */
#ifndef DE_JSON_OUT_H
#define DE_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "../util/strvec.h"

/* Pretty-prints j and a newline; returns 0, or -1 on a write error. */
int de_json_print(FILE *f, const json_t *j);
/* A JSON string (lossless as described above), or JSON null for NULL. */
json_t *de_json_str(const char *s);
/* A JSON string holding an RFC 3339 time in de.py's ISO form; the raw text
 * (and a warning naming what) when it does not parse; null for NULL. */
json_t *de_json_time(const char *rfc3339, const char *what);
/* What could not be read so far (util/diag.h's omissions), one string each,
 * for the "errors" array that ends de's own JSON documents: a report that
 * is not complete says so inside itself, not only on stderr. */
json_t *de_json_errors(void);

/* A JSON writer that streams, byte for byte as de_json_print() prints the
 * same document built with jansson (4-space indentation, \uXXXX escapes,
 * keys in the order written), for outputs too large to build as a tree
 * first (`list` of thousands of containers). Containers nest at most
 * DE_JW_MAX_DEPTH deep; de_jw_json() writes any jansson value inside. */
#define DE_JW_MAX_DEPTH 32
typedef struct de_jw {
	FILE *f;
	char buf[1 << 16];
	size_t len;
	int depth;
	struct de_jw_level {
		char close;   /* ']' or '}' */
		size_t n;     /* values (members) so far */
	} lv[DE_JW_MAX_DEPTH];
	bool err;
	dbuf *mem;                       /* writing into memory (an element), or NULL */
} de_jw;

void de_jw_init(de_jw *w, FILE *f);
void de_jw_open_array(de_jw *w);
void de_jw_open_object(de_jw *w);
void de_jw_close(de_jw *w);             /* the innermost open array or object */
void de_jw_key(de_jw *w, const char *key);   /* in an object, before its value */
void de_jw_str(de_jw *w, const char *s);     /* de_json_str's value: NULL is null */
void de_jw_time(de_jw *w, const char *rfc3339, const char *what);   /* de_json_time's */
void de_jw_int(de_jw *w, int64_t v);
void de_jw_null(de_jw *w);
void de_jw_json(de_jw *w, const json_t *j);
/* Elements of a top-level array formatted apart (on other threads): a
 * writer into out for one value at depth 1 (de_jw_end_element flushes it),
 * and the text given to the array's writer, with its separator. */
void de_jw_init_element(de_jw *w, dbuf *out);
void de_jw_end_element(de_jw *w);
void de_jw_element(de_jw *w, const char *text, size_t n);
/* The closing newline, flushed: 0, or -1 when a write failed. */
int de_jw_finish(de_jw *w);

#endif

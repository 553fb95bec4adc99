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

#include <stdio.h>

#include <jansson.h>

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

#endif

#include "json_out.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "../util/strvec.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

int de_json_print(FILE *f, const json_t *j)
{
	size_t flags = JSON_INDENT(4) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII;
	if (json_dumpf(j, f, flags) < 0 || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

json_t *de_json_str(const char *s)
{
	if (!s)
		return json_null();
	size_t len = strlen(s);
	json_t *j = json_stringn(s, len);
	if (j)
		return j;
	dbuf b = {0};
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = de_utf8_len(p + i, len - i);
		if (n) {
			db_add(&b, p + i, n);
			i += n;
		} else {
			db_addf(&b, "\\x%02x", p[i]);
			i++;
		}
	}
	char *t = db_take(&b);
	j = json_string(t);
	free(t);
	return j ? j : json_string("");
}

json_t *de_json_time(const char *rfc3339, const char *what)
{
	de_time t;
	char buf[64];
	if (!rfc3339)
		return json_null();
	if (de_time_parse(rfc3339, &t) < 0) {
		de_warn("%s: time \"%s\" is not RFC 3339; printed as written", what, rfc3339);
		return de_json_str(rfc3339);
	}
	de_time_iso(&t, buf, sizeof buf);
	return json_string(buf);
}

json_t *de_json_errors(void)
{
	json_t *a = json_array();
	size_t kept = de_omission_kept(), count = de_omission_count();
	for (size_t i = 0; i < kept; i++)
		json_array_append_new(a, de_json_str(de_omission_msg(i)));
	if (count > kept) {
		char *more = xasprintf("%zu more items could not be read (see stderr)", count - kept);
		json_array_append_new(a, json_string(more));
		free(more);
	}
	return a;
}

/* ---- the streaming writer -------------------------------------------------- */

static void jw_value(de_jw *w);

static void jw_flush(de_jw *w)
{
	if (w->mem)
		db_add(w->mem, w->buf, w->len);
	else if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
		w->err = true;
	w->len = 0;
}

static void jw_put(de_jw *w, const char *s, size_t n)
{
	if (w->len + n > sizeof w->buf) {
		jw_flush(w);
		if (n > sizeof w->buf) {
			if (w->mem)
				db_add(w->mem, s, n);
			else if (fwrite(s, 1, n, w->f) != n)
				w->err = true;
			return;
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void jw_putc(de_jw *w, char c)
{
	if (w->len == sizeof w->buf)
		jw_flush(w);
	w->buf[w->len++] = c;
}

/* A newline and depth levels of 4 spaces (jansson's dump_indent). */
static void jw_indent(de_jw *w, size_t depth)
{
	static const char spaces[] = "                                ";   /* 32 */
	jw_putc(w, '\n');
	for (size_t n = depth * 4; n;) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		jw_put(w, spaces, k);
		n -= k;
	}
}

/* A string as jansson's dump_string writes it with JSON_ENSURE_ASCII: '"'
 * and '\\' escaped, control characters as \b \f \n \r \t or \u00XX,
 * everything above 0x7F as \uXXXX (a surrogate pair above the BMP), hex
 * in capitals. s is valid UTF-8. */
static void jw_escaped(de_jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	jw_putc(w, '"');
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			jw_put(w, (const char *)run, (size_t)(p - run));
		if (p >= end)
			break;
		char seq[12];
		unsigned cp = *p;
		size_t n = 1;
		if (cp >= 0x80) {
			n = de_utf8_len(p, (size_t)(end - p));
			if (n == 2)
				cp = (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu);
			else if (n == 3)
				cp = (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
			else if (n == 4)
				cp = (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 |
				     (p[3] & 0x3fu);
			else
				n = 1;   /* not UTF-8: the callers never pass it */
		}
		p += n;
		const char *two = cp == '"' ? "\\\"" : cp == '\\' ? "\\\\" : cp == '\b' ? "\\b"
		                : cp == '\f' ? "\\f" : cp == '\n' ? "\\n" : cp == '\r' ? "\\r"
		                : cp == '\t' ? "\\t" : NULL;
		if (two) {
			jw_put(w, two, 2);
			continue;
		}
		unsigned units[2] = {cp, 0};
		size_t nu = 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[0] = 0xd800 | (cp >> 10 & 0x3ff);
			units[1] = 0xdc00 | (cp & 0x3ff);
			nu = 2;
		}
		for (size_t u = 0; u < nu; u++) {
			char *q = seq + 6 * u;
			q[0] = '\\';
			q[1] = 'u';
			for (int k = 0; k < 4; k++)
				q[2 + k] = hex[units[u] >> (12 - 4 * k) & 0xf];
		}
		jw_put(w, seq, 6 * nu);
	}
	jw_putc(w, '"');
}

/* A C string as de_json_str() keeps it: invalid UTF-8 bytes as \xNN text. */
static void jw_cstr(de_jw *w, const char *s)
{
	size_t len = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len && (p[i] < 0x80 || de_utf8_len(p + i, len - i)))
		i += p[i] < 0x80 ? 1 : de_utf8_len(p + i, len - i);
	if (i == len) {
		jw_escaped(w, s, len);
		return;
	}
	json_t *j = de_json_str(s);   /* rare: the slow, shared conversion */
	jw_escaped(w, json_string_value(j), json_string_length(j));
	json_decref(j);
}

void de_jw_init(de_jw *w, FILE *f)
{
	w->f = f;
	w->mem = NULL;
	w->len = 0;
	w->depth = 0;
	w->err = false;
}

void de_jw_init_element(de_jw *w, dbuf *out)
{
	de_jw_init(w, NULL);
	w->mem = out;
	/* as after a key at depth 1: no separator, the value's levels below */
	w->lv[0] = (struct de_jw_level){'}', 1};
	w->depth = 1;
}

void de_jw_end_element(de_jw *w)
{
	jw_flush(w);
}

void de_jw_element(de_jw *w, const char *text, size_t n)
{
	jw_value(w);
	jw_put(w, text, n);
}

/* Before a value: in an array its separator and indentation; in an object
 * de_jw_key wrote them. */
static void jw_value(de_jw *w)
{
	if (!w->depth)
		return;
	struct de_jw_level *l = &w->lv[w->depth - 1];
	if (l->close == '}')
		return;
	if (l->n++)
		jw_putc(w, ',');
	jw_indent(w, w->depth);
}

static void jw_open(de_jw *w, char open, char close)
{
	jw_value(w);
	jw_putc(w, open);
	if (w->depth >= DE_JW_MAX_DEPTH) {
		w->err = true;   /* a caller's bug, not the evidence's: said as a write error */
		return;
	}
	w->lv[w->depth++] = (struct de_jw_level){close, 0};
}

void de_jw_open_array(de_jw *w) { jw_open(w, '[', ']'); }
void de_jw_open_object(de_jw *w) { jw_open(w, '{', '}'); }

void de_jw_close(de_jw *w)
{
	if (!w->depth)
		return;
	struct de_jw_level *l = &w->lv[--w->depth];
	if (l->n)
		jw_indent(w, w->depth);
	jw_putc(w, l->close);
}

void de_jw_key(de_jw *w, const char *key)
{
	struct de_jw_level *l = &w->lv[w->depth - 1];
	if (l->n++)
		jw_putc(w, ',');
	jw_indent(w, w->depth);
	jw_cstr(w, key);
	jw_put(w, ": ", 2);
}

void de_jw_str(de_jw *w, const char *s)
{
	jw_value(w);
	if (s)
		jw_cstr(w, s);
	else
		jw_put(w, "null", 4);
}

void de_jw_time(de_jw *w, const char *rfc3339, const char *what)
{
	de_time t;
	char buf[64];
	if (!rfc3339 || de_time_parse(rfc3339, &t) < 0) {
		json_t *j = de_json_time(rfc3339, what);   /* null, or the warning and the text */
		de_jw_json(w, j);
		json_decref(j);
		return;
	}
	de_time_iso(&t, buf, sizeof buf);
	jw_value(w);
	jw_escaped(w, buf, strlen(buf));
}

void de_jw_int(de_jw *w, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%" PRId64, v);
	jw_value(w);
	jw_put(w, buf, (size_t)n);
}

void de_jw_null(de_jw *w)
{
	jw_value(w);
	jw_put(w, "null", 4);
}

/* j at depth (its own brackets' level), as jansson's do_dump. */
static void jw_any(de_jw *w, const json_t *j, size_t depth)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		size_t n = 0;
		jw_putc(w, '{');
		json_object_foreach((json_t *)j, k, v) {
			if (n++)
				jw_putc(w, ',');
			jw_indent(w, depth + 1);
			jw_escaped(w, k, strlen(k));
			jw_put(w, ": ", 2);
			jw_any(w, v, depth + 1);
		}
		if (n)
			jw_indent(w, depth);
		jw_putc(w, '}');
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *v;
		jw_putc(w, '[');
		json_array_foreach(j, i, v) {
			if (i)
				jw_putc(w, ',');
			jw_indent(w, depth + 1);
			jw_any(w, v, depth + 1);
		}
		if (json_array_size(j))
			jw_indent(w, depth);
		jw_putc(w, ']');
		break;
	}
	case JSON_STRING:
		jw_escaped(w, json_string_value(j), json_string_length(j));
		break;
	default: {
		/* numbers, true, false, null: jansson's own text (its real format) */
		char *t = json_dumps(j, JSON_ENCODE_ANY);
		if (t)
			jw_put(w, t, strlen(t));
		else
			w->err = true;
		free(t);
	}
	}
}

void de_jw_json(de_jw *w, const json_t *j)
{
	jw_value(w);
	jw_any(w, j, (size_t)w->depth);
}

int de_jw_finish(de_jw *w)
{
	jw_putc(w, '\n');
	jw_flush(w);
	if (fflush(w->f) == EOF)
		w->err = true;
	return w->err ? -1 : 0;
}

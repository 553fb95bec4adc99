/*
 * jsonfile.c — the json-file driver's records. Docker (Go's encoding/json)
 * writes every line with the keys in this order:
 *   {"log":"<escaped text>","stream":"stdout","time":"<RFC 3339 nano>"}
 * and "attrs" after them when labels or env are logged. That exact shape is
 * decoded by hand, which is what makes `de logs` fast; any other shape is
 * handed to jansson, and only what neither can read is corrupt.
 */
#include "parse.h"
#include "../util/bytes.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../util/timefmt.h"

static int hex4(const char *p, const char *end, unsigned *out)
{
	if (end - p < 4)
		return -1;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (unsigned)h;
	}
	*out = v;
	return 0;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* Decodes the JSON string starting after its opening quote into out (a
 * decoded string is never longer than its JSON text: room is made for that
 * once); returns the position after its closing quote, or NULL. */
static const char *unescape_string(const char *p, const char *end, dbuf *out)
{
	db_reserve(out, (size_t)(end - p));
	char *o = out->p + out->len;
	while (p < end) {
		/* memchr is vectorised: find the closing quote, then any escape
		 * before it */
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			q = end;
		const char *bs = memchr(p, '\\', (size_t)(q - p));
		if (bs)
			q = bs;
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		if (q == end)
			return NULL;
		if (*q == '"') {
			out->len = (size_t)(o - out->p);
			return q + 1;
		}
		if (++q == end)
			return NULL;
		char c = *q++;
		switch (c) {
		case '"': case '\\': case '/': *o++ = c; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (hex4(q, end, &cp) < 0)
				return NULL;
			q += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && end - q >= 6 && q[0] == '\\' && q[1] == 'u' &&
			    hex4(q + 2, end, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				q += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;   /* a lone surrogate: what Go would print */
			}
			o = put_utf8(o, cp);
			break;
		}
		default:
			return NULL;
		}
		p = q;
	}
	return NULL;
}

static int set_time(log_rec *r, const char *t, size_t n)
{
	char buf[64];
	de_time tm;
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	if (de_time_parse(buf, &tm) < 0)
		return -1;
	r->sec = tm.epoch;
	r->nsec = tm.nsec;
	return 0;
}

static void finish(log_rec *r)
{
	r->newline = r->data.len && r->data.p[r->data.len - 1] == '\n';
	r->partial = !r->newline;
}

#define LIT(p, end, s) ((size_t)((end) - (p)) >= sizeof(s) - 1 && !memcmp(p, s, sizeof(s) - 1))

static int fast_path(const char *p, const char *end, log_rec *r)
{
	if (!LIT(p, end, "{\"log\":\""))
		return -1;
	p = unescape_string(p + 8, end, &r->data);
	if (!p || !LIT(p, end, ",\"stream\":\""))
		return -1;
	p += 11;
	const char *q = memchr(p, '"', (size_t)(end - p));
	if (!q || (size_t)(q - p) >= sizeof r->stream)
		return -1;
	memcpy(r->stream, p, (size_t)(q - p));
	r->stream[q - p] = '\0';
	p = q + 1;
	if (!LIT(p, end, ",\"time\":\""))
		return -1;
	p += 9;
	q = memchr(p, '"', (size_t)(end - p));
	if (!q || set_time(r, p, (size_t)(q - p)) < 0)
		return -1;
	p = q + 1;
	/* "}" or ,"attrs":{…}} — the attrs are not part of the message */
	if (!(end - p == 1 && *p == '}') && !(LIT(p, end, ",\"attrs\":") && end[-1] == '}'))
		return -1;
	return 0;
}

static int slow_path(const char *line, size_t len, log_rec *r, const char **why)
{
	json_error_t je;
	json_t *j = json_loadb(line, len, JSON_ALLOW_NUL, &je);
	json_t *log = json_object_get(j, "log"), *st = json_object_get(j, "stream"),
	       *tm = json_object_get(j, "time");
	int rc = -1;
	*why = "not a json-file record";
	if (json_is_string(log) && json_is_string(tm) &&
	    set_time(r, json_string_value(tm), json_string_length(tm)) == 0) {
		r->data.len = 0;
		db_add(&r->data, json_string_value(log), json_string_length(log));
		snprintf(r->stream, sizeof r->stream, "%s",
		         json_is_string(st) ? json_string_value(st) : "");
		rc = 0;
	} else if (!j) {
		*why = "invalid JSON";
	}
	json_decref(j);
	return rc;
}

int parse_jsonfile_line(const char *line, size_t len, log_rec *r, const char **why)
{
	r->data.len = 0;
	if (fast_path(line, line + len, r) < 0 && slow_path(line, len, r, why) < 0)
		return -1;
	finish(r);
	return 0;
}

int parse_k8s_line(const char *line, size_t len, log_rec *r, const char **why)
{
	const char *end = line + len, *sp1 = memchr(line, ' ', len);
	const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
	const char *sp3 = sp2 ? memchr(sp2 + 1, ' ', (size_t)(end - sp2 - 1)) : NULL;
	*why = "not a k8s-file record (TIME STREAM P|F MESSAGE)";
	r->data.len = 0;
	if (!sp2 || set_time(r, line, (size_t)(sp1 - line)) < 0 ||
	    (size_t)(sp2 - sp1 - 1) >= sizeof r->stream)
		return -1;
	memcpy(r->stream, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	r->stream[sp2 - sp1 - 1] = '\0';
	const char *tag = sp2 + 1, *msg = sp3 ? sp3 + 1 : end;
	size_t taglen = (size_t)((sp3 ? sp3 : end) - tag);
	if (taglen < 1 || (tag[0] != 'P' && tag[0] != 'F'))
		return -1;
	db_add(&r->data, msg, (size_t)(end - msg));
	r->partial = tag[0] == 'P';
	r->newline = !r->partial;
	if (r->newline)
		db_add(&r->data, "\n", 1);
	return 0;
}

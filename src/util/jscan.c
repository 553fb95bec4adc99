/*
 * jscan.c — see jscan.h. The validator follows jansson 2.14's lexer and
 * parser (load.c) rule for rule, so that a document is read here exactly
 * when jansson would read it; what it checks, and where jansson checks the
 * same, is said at each rule.
 */
#include "jscan.h"
#include "bytes.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strvec.h"
#include "utf8.h"

/* ---- validation ------------------------------------------------------------ */

/* Byte classes inside a string: plain bytes run on. */
enum { C_PLAIN, C_END, C_ESC, C_CTRL, C_HIGH };
static const unsigned char str_class[256] = {
	[0x00 ... 0x1f] = C_CTRL,
	['"'] = C_END,
	['\\'] = C_ESC,
	[0x80 ... 0xff] = C_HIGH,
};

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* 4 hex digits at p (p + 4 <= end): their value, or -1. */
static int32_t hex4(const unsigned char *p)
{
	int32_t v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* A string from its opening quote at *pp; on success *pp is past the
 * closing quote. jansson: lex_scan_string (control characters, escapes),
 * stream_get (UTF-8 of every byte read), the decoding (surrogate pairs),
 * and parse_object (a key may not hold a decoded NUL). */
static int scan_string(const unsigned char **pp, const unsigned char *end, bool key)
{
	const unsigned char *p = *pp + 1;
	for (;;) {
		while (p < end && str_class[*p] == C_PLAIN)
			p++;
		if (p >= end)
			return -1;   /* premature end of input */
		switch (str_class[*p]) {
		case C_END:
			*pp = p + 1;
			return 0;
		case C_CTRL:
			return -1;
		case C_HIGH: {
			size_t n = de_utf8_len(p, (size_t)(end - p));
			if (!n)
				return -1;
			p += n;
			break;
		}
		default: /* C_ESC */
			if (end - p < 2)
				return -1;
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u': {
				if (end - p < 6)
					return -1;
				int32_t v = hex4(p + 2);
				if (v < 0)
					return -1;
				p += 6;
				if (v >= 0xd800 && v <= 0xdbff) {
					/* a high surrogate: a low one must follow at once */
					if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
						return -1;
					int32_t v2 = hex4(p + 2);
					if (v2 < 0xdc00 || v2 > 0xdfff)
						return -1;
					p += 6;
				} else if (v >= 0xdc00 && v <= 0xdfff) {
					return -1;
				} else if (v == 0 && key) {
					return -1;   /* NUL byte in object key not supported */
				}
				break;
			}
			default:
				return -1;   /* invalid escape */
			}
		}
	}
}

/* A number (jansson: lex_scan_number): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?;
 * an integer must fit int64 (strtoll, ERANGE), a real must not overflow
 * (strtod, HUGE_VAL with ERANGE). */
static int scan_number(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *s = *pp, *p = s;
	bool real = false;
	if (p < end && *p == '-')
		p++;
	if (p >= end || !is_digit(*p))
		return -1;
	if (*p == '0') {
		p++;
		if (p < end && is_digit(*p))
			return -1;
	} else {
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !is_digit(*p))
			return -1;
		while (p < end && is_digit(*p))
			p++;
		real = true;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit(*p))
			return -1;
		while (p < end && is_digit(*p))
			p++;
		real = true;
	}
	size_t n = (size_t)(p - s);
	char small[64], *t = n < sizeof small ? small : xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	errno = 0;
	int bad;
	if (real) {
		double d = strtod(t, NULL);
		bad = (d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE;
	} else {
		(void)strtoll(t, NULL, 10);
		bad = errno == ERANGE;
	}
	if (t != small)
		free(t);
	if (bad)
		return -1;
	*pp = p;
	return 0;
}

/* true, false, null (jansson reads a whole run of letters, then compares). */
static int scan_word(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		p++;
	size_t n = (size_t)(p - *pp);
	if (!((n == 4 && !memcmp(*pp, "true", 4)) || (n == 5 && !memcmp(*pp, "false", 5)) ||
	      (n == 4 && !memcmp(*pp, "null", 4))))
		return -1;
	*pp = p;
	return 0;
}

static const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && is_ws(*p))
		p++;
	return p;
}

/* One scalar at p (the caller handled '{' and '['). jansson's lexer reads
 * the byte after a number or a word and puts it back; a NUL byte put back
 * is lost (its stream buffer ends at a NUL), so one NUL right after a
 * number, true, false or null is skipped as if it were not there. */
static int scan_scalar(const unsigned char **pp, const unsigned char *end)
{
	unsigned char c = **pp;
	if (c == '"')
		return scan_string(pp, end, false);
	if ((c == '-' || is_digit(c)) ? scan_number(pp, end) < 0 : scan_word(pp, end) < 0)
		return -1;
	if (*pp < end && **pp == '\0')
		(*pp)++;
	return 0;
}

static int top_key(const unsigned char *k, const unsigned char *e, const char *const keys[],
                   size_t n);

int js_validate(const char *buf, size_t len, js_val *root)
{
	return js_validate_fields(buf, len, root, NULL, 0, NULL);
}

int js_validate_fields(const char *buf, size_t len, js_val *root, const char *const keys[],
                       size_t nkeys, js_val out[])
{
	for (size_t i = 0; i < nkeys; i++)
		out[i] = (js_val){NULL, 0};
	int want = -1;                      /* the top-level member being read: its key's index */
	const unsigned char *val = NULL;    /* and where its value began */
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	/* the open containers: '{' or '['; a value at stack depth d is at
	 * jansson's depth d + 1 (parse_value counts every value) */
	unsigned char stack[JS_MAX_DEPTH];
	size_t depth = 0;
	p = skip_ws(p, end);
	if (p >= end || (*p != '{' && *p != '['))
		return -1;   /* '[' or '{' expected */
	const unsigned char *start = p;
	for (;;) {
		/* p: at a value (after a '[', ',' or ':') */
		if (depth == 1)
			val = p;
		if (*p == '{' || *p == '[') {
			if (depth >= JS_MAX_DEPTH)
				return -1;   /* maximum parsing depth reached */
			unsigned char open = *p;
			stack[depth++] = open;
			p = skip_ws(p + 1, end);
			if (p >= end)
				return -1;
			if ((open == '{' && *p == '}') || (open == '[' && *p == ']')) {
				p++;
				depth--;   /* empty: closed at once */
				goto closed;
			}
			if (open == '{')
				goto key;
			continue;
		}
		if (depth >= JS_MAX_DEPTH || scan_scalar(&p, end) < 0)
			return -1;   /* a scalar is a value too: one level deeper */
	closed:
		/* after a value: ',' or the end of its container */
		if (depth == 1 && want >= 0) {
			const unsigned char *ve = p;
			if (ve[-1] == '\0')
				ve--;   /* the NUL skipped after a scalar is not its text */
			out[want] = (js_val){(const char *)val, (size_t)(ve - val)};
			want = -1;
		}
		if (!depth) {
			if (skip_ws(p, end) != end)
				return -1;   /* end of file expected */
			if (root)
				*root = (js_val){(const char *)start, (size_t)(p - start)};
			return 0;
		}
		p = skip_ws(p, end);
		if (p >= end)
			return -1;
		if (*p == ',') {
			p = skip_ws(p + 1, end);
			if (p >= end)
				return -1;
			if (stack[depth - 1] == '{')
				goto key;
			continue;
		}
		if (*p != (stack[depth - 1] == '{' ? '}' : ']'))
			return -1;
		p++;
		depth--;
		goto closed;
	key:;
		const unsigned char *k = p;
		if (*p != '"' || scan_string(&p, end, true) < 0)
			return -1;   /* string or '}' expected */
		if (depth == 1 && nkeys)
			want = top_key(k, p, keys, nkeys);   /* the last of duplicates counts */
		p = skip_ws(p, end);
		if (p >= end || *p != ':')
			return -1;
		p = skip_ws(p + 1, end);
		if (p >= end)
			return -1;
	}
}

/* ---- reading a validated document ------------------------------------------ */

/* The index of the key [k, e) (a valid string, quotes included) in keys, or -1. */
static int top_key(const unsigned char *k, const unsigned char *e, const char *const keys[],
                   size_t n)
{
	js_val v = {(const char *)k, (size_t)(e - k)};
	bool plain = !memchr(k, '\\', v.n);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(keys[i]);
		if (plain ? v.n == l + 2 && !memcmp(k + 1, keys[i], l) : js_str_eq(v, keys[i]))
			return (int)i;
	}
	return -1;
}

/* Past the string whose opening quote is at p. */
static const char *skip_string(const char *p)
{
	p++;
	for (;;) {
		const char *q = p;
		while (*q != '"' && *q != '\\')
			q++;
		if (*q == '"')
			return q + 1;
		p = q + 2;   /* an escape: its second byte is never the closing quote */
	}
}

/* Past the value at p (valid text: brackets balance outside strings). */
static const char *skip_value(const char *p)
{
	if (*p == '"')
		return skip_string(p);
	if (*p != '{' && *p != '[') {
		while (*p != ',' && *p != '}' && *p != ']' && *p && !is_ws((unsigned char)*p))
			p++;
		return p;
	}
	size_t depth = 0;
	for (;;) {
		char c = *p;
		if (c == '"') {
			p = skip_string(p);
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (--depth == 0)
				return p + 1;
		}
		p++;
	}
}

/* Whitespace, and the NUL jansson skips after a scalar (the only place a
 * valid document holds a raw NUL). */
static const char *skip_ws_c(const char *p)
{
	while (is_ws((unsigned char)*p) || !*p)
		p++;
	return p;
}

js_type js_type_of(js_val v)
{
	if (!v.p)
		return JS_ABSENT;
	switch (v.p[0]) {
	case '{': return JS_OBJECT;
	case '[': return JS_ARRAY;
	case '"': return JS_STRING;
	case 't': return JS_TRUE;
	case 'f': return JS_FALSE;
	case 'n': return JS_NULL;
	default:
		for (size_t i = 0; i < v.n; i++)
			if (v.p[i] == '.' || v.p[i] == 'e' || v.p[i] == 'E')
				return JS_REAL;
		return JS_INTEGER;
	}
}

/* The decoded bytes of the string at v into out (room for v.n bytes):
 * their count. Valid text: every escape is whole, surrogates pair. */
static size_t decode(js_val v, char *out)
{
	const char *p = v.p + 1, *end = v.p + v.n - 1;
	char *o = out;
	while (p < end) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		char c = p[1];
		p += 2;
		switch (c) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			uint32_t cp = (uint32_t)hex4((const unsigned char *)p);
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				uint32_t lo = (uint32_t)hex4((const unsigned char *)p + 2);
				p += 6;
				cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
			}
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
			break;
		}
		default: *o++ = c; break;   /* " \ / */
		}
	}
	return (size_t)(o - out);
}

char *js_strdup(js_val v, size_t *len)
{
	if (js_type_of(v) != JS_STRING)
		return NULL;
	char *s = xmalloc(v.n);
	size_t n = decode(v, s);
	s[n] = '\0';
	if (len)
		*len = n;
	return s;
}

static bool has_escape(js_val v)
{
	return memchr(v.p, '\\', v.n) != NULL;
}

bool js_str_eq(js_val v, const char *s)
{
	if (js_type_of(v) != JS_STRING)
		return false;
	size_t sl = strlen(s);
	if (!has_escape(v))
		return v.n == sl + 2 && !memcmp(v.p + 1, s, sl);
	if (sl > v.n)
		return false;   /* decoding never lengthens */
	char small[256], *t = v.n <= sizeof small ? small : xmalloc(v.n);
	size_t n = decode(v, t);
	bool eq = n == sl && !memcmp(t, s, sl);
	if (t != small)
		free(t);
	return eq;
}

/* Two keys (string values) equal once decoded. */
static bool keys_eq(js_val a, js_val b)
{
	bool ea = has_escape(a), eb = has_escape(b);
	if (!ea && !eb)
		return a.n == b.n && !memcmp(a.p, b.p, a.n);
	char *da = xmalloc(a.n), *db = xmalloc(b.n);
	size_t na = ea ? decode(a, da) : a.n - 2, nb = eb ? decode(b, db) : b.n - 2;
	bool eq = na == nb && !memcmp(ea ? da : a.p + 1, eb ? db : b.p + 1, na);
	free(da);
	free(db);
	return eq;
}

bool js_int(js_val v, int64_t *out)
{
	if (js_type_of(v) != JS_INTEGER)
		return false;
	char small[32];
	if (v.n >= sizeof small)
		return false;   /* validated: cannot be an int64 this long */
	memcpy(small, v.p, v.n);
	small[v.n] = '\0';
	*out = strtoll(small, NULL, 10);
	return true;
}

/* Reads the member at *pp (at a key, or at the closing '}'): false at the
 * end; else key, value, and *pp at the next member. */
static bool member_at(const char **pp, js_val *key, js_val *val)
{
	const char *p = skip_ws_c(*pp);
	if (*p != '"')
		return false;
	const char *k = p;
	p = skip_string(p);
	*key = (js_val){k, (size_t)(p - k)};
	p = skip_ws_c(p);   /* at ':' */
	p = skip_ws_c(p + 1);
	const char *v = p;
	p = skip_value(p);
	*val = (js_val){v, (size_t)(p - v)};
	p = skip_ws_c(p);
	if (*p == ',')
		p++;
	*pp = p;
	return true;
}

void js_fields(js_val obj, const char *const keys[], size_t n, js_val out[])
{
	for (size_t i = 0; i < n; i++)
		out[i] = (js_val){NULL, 0};
	if (js_type_of(obj) != JS_OBJECT)
		return;
	size_t lens[32];
	for (size_t i = 0; i < n && i < 32; i++)
		lens[i] = strlen(keys[i]);
	const char *p = obj.p + 1;
	js_val k, v;
	while (member_at(&p, &k, &v)) {
		bool esc = has_escape(k);
		for (size_t i = 0; i < n; i++) {
			/* a key without escapes is its raw text: compared as it is */
			bool eq = esc || i >= 32 ? js_str_eq(k, keys[i])
			        : k.n == lens[i] + 2 && !memcmp(k.p + 1, keys[i], lens[i]);
			if (eq)
				out[i] = v;   /* the last one counts, as in jansson */
		}
	}
}

void js_iter_init(js_iter *it, js_val c)
{
	it->obj = c;
	if (js_type_of(c) != JS_OBJECT && js_type_of(c) != JS_ARRAY) {
		it->p = it->end = NULL;
		return;
	}
	it->p = c.p + 1;
	it->end = c.p + c.n - 1;
}

bool js_next_member(js_iter *it, js_val *key, js_val *val)
{
	if (!it->p || it->obj.p[0] != '{')
		return false;
	for (;;) {
		const char *here = it->p;
		if (!member_at(&it->p, key, val))
			return false;
		/* a key seen before was given at its first place: skip it */
		bool seen = false;
		const char *q = it->obj.p + 1;
		js_val k2, v2;
		while (q < here && member_at(&q, &k2, &v2))
			if (keys_eq(k2, *key)) {
				seen = true;
				break;
			}
		if (seen)
			continue;
		/* its value is the last one given */
		q = it->p;
		while (member_at(&q, &k2, &v2))
			if (keys_eq(k2, *key))
				*val = v2;
		return true;
	}
}

bool js_next_elem(js_iter *it, js_val *val)
{
	if (!it->p || it->obj.p[0] != '[')
		return false;
	const char *p = skip_ws_c(it->p);
	if (p >= it->end)
		return false;
	const char *v = p;
	p = skip_value(p);
	*val = (js_val){v, (size_t)(p - v)};
	p = skip_ws_c(p);
	if (*p == ',')
		p++;
	it->p = p;
	return true;
}

size_t js_count(js_val c)
{
	js_type t = js_type_of(c);
	if (t != JS_OBJECT && t != JS_ARRAY)
		return 0;
	size_t n = 0;
	const char *p = skip_ws_c(c.p + 1), *end = c.p + c.n - 1;
	while (p < end) {
		if (t == JS_OBJECT) {
			p = skip_ws_c(skip_string(p));
			p = skip_ws_c(p + 1);
		}
		p = skip_ws_c(skip_value(p));
		if (*p == ',')
			p = skip_ws_c(p + 1);
		n++;
	}
	return n;
}

#include "json_out.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "../util/strvec.h"
#include "../util/timefmt.h"

int de_json_print(FILE *f, const json_t *j)
{
	size_t flags = JSON_INDENT(4) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII;
	if (json_dumpf(j, f, flags) < 0 || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629), or 0. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	size_t n;
	unsigned cp;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) { n = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { n = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { n = 4; cp = p[0] & 0x07; }
	else return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
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
		size_t n = utf8_len(p + i, len - i);
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

#include "utf8.h"

#include <string.h>

size_t de_utf8_len(const unsigned char *p, size_t left)
{
	size_t n;
	unsigned cp;
	if (!left)
		return 0;
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

void de_escape(dbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	while (*p) {
		if (*p == '\\') {
			db_adds(b, "\\\\");
			p++;
		} else if (*p == '\n') {
			db_adds(b, "\\n");
			p++;
		} else if (*p == '\t') {
			db_adds(b, "\\t");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			db_addf(b, "\\x%02x", *p++);
		} else {
			size_t n = de_utf8_len(p, (size_t)(end - p));
			if (n) {
				db_add(b, p, n);
				p += n;
			} else {
				db_addf(b, "\\x%02x", *p++);
			}
		}
	}
}

#include "text.h"

#include <stdio.h>

#include "../util/timefmt.h"

/* Length of the valid UTF-8 sequence at p (RFC 3629), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned cp;
	size_t n;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) { n = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { n = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { n = 4; cp = p[0] & 0x07; }
	else return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)   /* also stops at the NUL */
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
	const unsigned char *p = (const unsigned char *)s;
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
			size_t n = utf8_seq(p);
			if (n) {
				db_add(b, p, n);
				p += n;
			} else {
				db_addf(b, "\\x%02x", *p++);
			}
		}
	}
}

void de_mode_string(mode_t m, char out[11])
{
	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b'
	       : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : S_ISREG(m) ? '-' : '?';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		out[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = (m & S_IXOTH) ? 't' : 'T';
	out[10] = '\0';
}

void de_time_ns(int64_t sec, long nsec, char *out, unsigned len)
{
	de_time t;
	de_time_from_unix(sec, (int32_t)nsec, &t);
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", t.year, t.mon, t.day, t.hour,
	         t.min, t.sec, (int)t.nsec);
}

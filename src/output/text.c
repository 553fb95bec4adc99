#include "text.h"

#include <stdio.h>
#include <string.h>

#include "../util/timefmt.h"
#include "../util/utf8.h"

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

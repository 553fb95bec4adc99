/*
 * winpath.c — see winpath.h.
 */
#include "winpath.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "pathutil.h"
#include "strvec.h"

#define WIN_DEFAULT_ROOT "C:\\ProgramData\\docker"

static bool sep(char c)
{
	return c == '\\' || c == '/';
}

/* The path after "\\?\" and "X:", starting at its first separator. */
static const char *after_drive(const char *p, char *drive)
{
	if (!strncmp(p, "\\\\?\\", 4))
		p += 4;
	if (!isalpha((unsigned char)p[0]) || p[1] != ':' || !sep(p[2]))
		return NULL;
	if (drive)
		*drive = (char)toupper((unsigned char)p[0]);
	return p + 2;
}

bool de_win_is_path(const char *p)
{
	return p && after_drive(p, NULL) != NULL;
}

const char *de_win_basename(const char *p)
{
	const char *b = p;
	for (const char *s = p; *s; s++)
		if (sep(*s) && s[1])
			b = s + 1;
	return b;
}

/* "\a\b\" → "a/b"; NULL when a component is "." or "..". */
static char *components(const char *rest)
{
	dbuf b = {0};
	const char *s = rest;
	while (*s) {
		while (sep(*s))
			s++;
		size_t n = strcspn(s, "\\/");
		if (!n)
			break;
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) {
			db_free(&b);
			return NULL;
		}
		if (b.len)
			db_adds(&b, "/");
		db_add(&b, s, n);
		s += n;
	}
	db_add(&b, "", 0);
	return db_take(&b);
}

char *de_win_data_root(const char *log_path, const char *id)
{
	if (log_path && id && de_win_is_path(log_path)) {
		char *tail = xasprintf("\\containers\\%s\\%s-json.log", id, id);
		size_t lp = strlen(log_path), lt = strlen(tail);
		bool ok = lp > lt;
		for (size_t i = 0; ok && i < lt; i++) {
			char a = log_path[lp - lt + i], t = tail[i];
			ok = (sep(a) && sep(t)) || tolower((unsigned char)a) == tolower((unsigned char)t);
		}
		free(tail);
		if (ok)
			return xstrndup(log_path, lp - lt);
	}
	return xstrdup(WIN_DEFAULT_ROOT);
}

char *de_win_place(const char *p, const char *win_root, const char *data_root,
                   const char *host_root)
{
	char dp, dr;
	const char *rp = after_drive(p, &dp), *rr = after_drive(win_root, &dr);
	char *cp = rp ? components(rp) : NULL, *cr = rr ? components(rr) : NULL, *out = NULL;
	if (!cp)
		goto done;
	size_t n = cr ? strlen(cr) : 0;
	if (cr && dp == dr && strlen(cp) >= n && !strncasecmp(cp, cr, n) &&
	    (cp[n] == '/' || cp[n] == '\0'))
		out = de_path_join(data_root, cp + n);
	else if (dp == 'C' && host_root && *host_root)
		out = de_path_join(host_root, cp);
done:
	free(cp);
	free(cr);
	return out;
}

#include "pathutil.h"

#include <string.h>

bool de_safe_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 255 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

char *de_path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	if (!la)
		return xstrdup(b);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	if (!*b)
		return xstrndup(a, la);
	if (la == 1 && a[0] == '/')
		la = 0;   /* "/" + b */
	size_t lb = strlen(b);
	char *p = xmalloc(la + lb + 2);
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

char *de_host_path(const char *h, const char *p)
{
	if (!h || !*h || !strcmp(h, "/"))
		return xstrdup(p);
	return de_path_join(h, p);
}

bool de_path_strip_suffix(const char *path, const char *suffix, size_t *prefix_len)
{
	size_t lp = strlen(path), ls = strlen(suffix);
	while (lp > 1 && path[lp - 1] == '/')
		lp--;
	if (lp < ls || memcmp(path + lp - ls, suffix, ls) != 0)
		return false;
	if (prefix_len)
		*prefix_len = lp - ls;
	return true;
}

void de_shell_quote(dbuf *b, const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		               "0123456789_-+=/.,:@%", *p) != NULL;
	if (plain) {
		db_adds(b, s);
		return;
	}
	db_adds(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			db_adds(b, "'\\''");
		else
			db_add(b, p, 1);
	}
	db_adds(b, "'");
}

bool de_is_hex(const char *s, unsigned n)
{
	if (strlen(s) != n)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

char *de_path_clean(const char *path)
{
	dbuf b = {0};
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n) {
			db_adds(&b, "/");
			db_add(&b, p, n);
		}
		p += n;
	}
	if (!b.len)
		db_adds(&b, "/");
	return db_take(&b);
}

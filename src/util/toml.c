/*
 * toml.c — see toml.h. TOML (v1.0) facts used: a line is a key/value pair,
 * a [table] header, a comment from an unquoted '#', or blank; bare keys are
 * A-Za-z0-9_-; a table header may have spaces inside its brackets; keys
 * before the first header are top-level. Dotted keys, arrays of tables and
 * multi-line strings are never what the engines' path settings use, and a
 * line of that kind is simply not a match.
 */
#include "toml.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char *skip_blank(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "[ name ]" → name (in place), NULL when not a table header. */
static char *header_name(char *line)
{
	if (*line != '[' || line[1] == '[')
		return NULL;
	char *name = skip_blank(line + 1), *end = strchr(name, ']');
	if (!end)
		return NULL;
	while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	return name;
}

/* The string value after key's '=' at line, or NULL. A basic string's
 * escapes are kept as written: the paths read here have none. */
static char *value_of(char *line, const char *key)
{
	size_t kl = strlen(key);
	if (strncmp(line, key, kl))
		return NULL;
	char *p = skip_blank(line + kl);
	if (*p++ != '=')
		return NULL;
	p = skip_blank(p);
	char q = *p;
	if (q != '"' && q != '\'')
		return NULL;
	char *end = p + 1;
	/* a basic string's \" does not end it; a literal string has no escapes */
	while (*end && *end != q)
		end += (q == '"' && *end == '\\' && end[1]) ? 2 : 1;
	if (*end != q)
		return NULL;
	return xstrndup(p + 1, (size_t)(end - p - 1));
}

char *de_toml_string(const ev_root *r, const char *rel, const char *table, const char *key)
{
	size_t len;
	char *txt = ev_is_file(r, rel) ? ev_read(r, rel, EV_MAX_SMALL * 16, &len, NULL) : NULL;
	if (!txt)
		return NULL;
	const char *want = table ? table : "";
	bool in = !*want;
	char *val = NULL, *save = NULL;
	for (char *line = strtok_r(txt, "\n", &save); line && !val;
	     line = strtok_r(NULL, "\n", &save)) {
		line = skip_blank(line);
		char *name = header_name(line);
		if (name)
			in = !strcmp(name, want);
		else if (in && (isalnum((unsigned char)*line) || *line == '_' || *line == '-'))
			val = value_of(line, key);
	}
	free(txt);
	return val;
}

/*
 * owners.c — user and group names as the container knew them: from its own
 * /etc/passwd and /etc/group (name:x:id:…), not from the analyst's machine.
 * Bounded: files over 16 MiB or over 65536 entries are read no further.
 */
#include "archive_out.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/evh.h"
#include "../util/strvec.h"

#define OWNERS_MAX_BYTES (16u << 20)
#define OWNERS_MAX 65536

typedef struct idname {
	unsigned id;
	char *name;
} idname;

struct de_owners {
	idname *users, *groups;
	size_t nusers, ngroups;
};

static char *slurp(un_fs *fs, const char *path)
{
	de_err e;
	int fd = un_open(fs, path, &e);
	if (fd < 0)
		return NULL;
	dbuf b = {0};
	char buf[65536];
	ssize_t n;
	while ((n = evh_read(fd, buf, sizeof buf)) > 0 && b.len < OWNERS_MAX_BYTES)
		db_add(&b, buf, (size_t)n);
	evh_close(fd);
	return db_take(&b);
}

static void parse(char *txt, idname **out, size_t *n)
{
	char *save = NULL;
	for (char *line = strtok_r(txt, "\n", &save); line && *n < OWNERS_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		char *name = line, *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c1 == name)
			continue;
		char *end;
		unsigned long id = strtoul(c2 + 1, &end, 10);
		if (end == c2 + 1 || (*end != ':' && *end) || id > 0xffffffffUL)
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[*n].id = (unsigned)id;
		(*out)[*n].name = xstrndup(name, (size_t)(c1 - name));
		(*n)++;
	}
}

de_owners *de_owners_read(un_fs *fs)
{
	de_owners *o = xcalloc(1, sizeof *o);
	char *p = slurp(fs, "/etc/passwd"), *g = slurp(fs, "/etc/group");
	if (p)
		parse(p, &o->users, &o->nusers);
	if (g)
		parse(g, &o->groups, &o->ngroups);
	free(p);
	free(g);
	return o;
}

static const char *find(const idname *v, size_t n, unsigned id)
{
	for (size_t i = 0; i < n; i++)   /* first entry wins, as getpwuid */
		if (v[i].id == id)
			return v[i].name;
	return NULL;
}

const char *de_owners_user(const de_owners *o, unsigned uid)
{
	return o ? find(o->users, o->nusers, uid) : NULL;
}

const char *de_owners_group(const de_owners *o, unsigned gid)
{
	return o ? find(o->groups, o->ngroups, gid) : NULL;
}

void de_owners_free(de_owners *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nusers; i++)
		free(o->users[i].name);
	for (size_t i = 0; i < o->ngroups; i++)
		free(o->groups[i].name);
	free(o->users);
	free(o->groups);
	free(o);
}

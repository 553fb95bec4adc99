/*
 * dcache.c — see fs_impl.h: the names of one directory, hashed, so that
 * the lookups of a path walk in a large directory (a data root's
 * overlay2/ with thousands of layers) do not each rescan it. One
 * directory is kept (the last one scanned that had at least DC_MIN
 * entries), bounded in entries and bytes; past the bounds lookups scan.
 * The image is read-only: nothing ever invalidates an entry.
 */
#include "fs_impl.h"

#include <stdlib.h>
#include <string.h>

#include "../util/strvec.h"

#define DC_MIN 64                 /* smaller directories: a scan is as quick */
#define DC_MAX_ENTRIES 262144u
#define DC_MAX_BYTES (16u << 20)  /* names */

typedef struct dc_slot {
	uint64_t hash, ino;
	uint32_t off, len;            /* the name in names; len 0: empty slot */
} dc_slot;

struct fs_dcache {
	uint64_t dir;
	bool valid;
	dc_slot *slot;
	size_t nslots, n;
	char *names;
	size_t nlen, ncap;
	bool overflow;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h;
}

fs_dcache *dc_new(void)
{
	return xcalloc(1, sizeof(fs_dcache));
}

static void dc_reset(fs_dcache *c)
{
	free(c->slot);
	free(c->names);
	memset(c, 0, sizeof *c);
}

void dc_free(fs_dcache *c)
{
	if (!c)
		return;
	dc_reset(c);
	free(c);
}

static dc_slot *probe(fs_dcache *c, uint64_t h, const char *name, size_t len)
{
	for (size_t i = h & (c->nslots - 1);; i = (i + 1) & (c->nslots - 1)) {
		dc_slot *s = &c->slot[i];
		if (s->len == 0 || (s->hash == h && s->len == len && memcmp(c->names + s->off, name, len) == 0))
			return s;
	}
}

static void grow(fs_dcache *c)
{
	dc_slot *old = c->slot;
	size_t n = c->nslots;
	c->nslots = n ? n * 2 : 256;
	c->slot = xcalloc(c->nslots, sizeof *c->slot);
	for (size_t i = 0; i < n; i++)
		if (old[i].len)
			*probe(c, old[i].hash, c->names + old[i].off, old[i].len) = old[i];
	free(old);
}

/* Adds an entry (the first of a name wins, as a scan finds it first). */
static void dc_add(fs_dcache *c, const char *name, size_t len, uint64_t ino)
{
	if (c->overflow || len == 0)
		return;
	if (c->n + 1 > DC_MAX_ENTRIES || c->nlen + len > DC_MAX_BYTES) {
		c->overflow = true;
		return;
	}
	if (2 * (c->n + 1) > c->nslots)
		grow(c);
	uint64_t h = fnv(name, len);
	dc_slot *s = probe(c, h, name, len);
	if (s->len)
		return;
	if (c->nlen + len > c->ncap)
		c->names = xrealloc(c->names, c->ncap = (c->ncap ? c->ncap * 2 : 4096) + len);
	memcpy(c->names + c->nlen, name, len);
	*s = (dc_slot){h, ino, (uint32_t)c->nlen, (uint32_t)len};
	c->nlen += len;
	c->n++;
}

int dc_find(fs_dcache *c, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	if (!c->valid || c->dir != dir)
		return -1;
	dc_slot *s = probe(c, fnv(name, len), name, len);
	if (!s->len)
		return 0;
	*ino = s->ino;
	return 1;
}

typedef struct scan {
	fs_dcache *c;
	const char *name;
	size_t len;
	uint64_t ino;
	bool found;
} scan;

static int scan_cb(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	scan *s = arg;
	(void)dtype;
	if (!s->found && len == s->len && memcmp(name, s->name, len) == 0) {
		s->ino = ino;
		s->found = true;
	}
	dc_add(s->c, name, len, ino);
	return 0;
}

int dc_scan(de_fs *fs, fs_dcache *c, uint64_t dir, const char *name, size_t len, uint64_t *ino,
            de_err *e)
{
	dc_reset(c);
	scan s = {c, name, len, 0, false};
	int rc = fs_readdir(fs, dir, scan_cb, &s, e);
	if (rc < 0) {
		dc_reset(c);
		return rc;
	}
	if (c->overflow || c->n < DC_MIN)
		dc_reset(c);
	else {
		c->dir = dir;
		c->valid = true;
	}
	if (!s.found)
		return 0;
	*ino = s.ino;
	return 1;
}

/*
 * bsrc.c — see bsrc.h: the raw and split raw readers (pread on the image
 * files: nothing between the kernel's page cache and us), memory, slices,
 * extent maps, the metadata cache, and the choice of format.
 */
#include "bsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/strvec.h"

#define SPLIT_MAX 100000u   /* segments of one split image (FTK stops at .999; some go on) */

int bsrc_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	if (off > s->size || len > s->size - off)
		return de_fail(e, "%s: read past the end (offset %llu, %zu bytes, size %llu)",
		               s->name, (unsigned long long)off, len, (unsigned long long)s->size);
	if (len == 0)
		return 0;
	return s->ops->read(s, off, buf, len, e);
}

void bsrc_close(bsrc *s)
{
	if (!s)
		return;
	s->ops->close(s);
}

static void base_init(bsrc *s, const bsrc_ops *ops, uint64_t size, const char *name, const char *format)
{
	s->ops = ops;
	s->size = size;
	s->name = strdup(name ? name : "?");
	if (!s->name)
		abort();
	s->format = format;
	s->sector = 512;
}

/* Opens an image file read-only, without touching its atime where allowed. */
static int open_ro(const char *path, de_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)   /* O_NOATIME: owner or CAP_FOWNER only */
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return de_fail_errno(e, errno, "%s", path);
	return fd;
}

/* pread until len bytes are in, or fail: a short file is an error. */
static int pread_full(int fd, uint64_t off, void *buf, size_t len, const char *name, de_err *e)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return de_fail_errno(e, errno, "%s: read at %llu", name, (unsigned long long)off);
		if (n == 0)
			return de_fail(e, "%s: truncated: no bytes at %llu", name, (unsigned long long)off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- raw ---- */

typedef struct raw_src {
	bsrc b;
	int fd;
} raw_src;

static int raw_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	return pread_full(((raw_src *)s)->fd, off, buf, len, s->name, e);
}

static void raw_close(bsrc *s)
{
	close(((raw_src *)s)->fd);
	free(s->name);
	free(s);
}

static const bsrc_ops raw_ops = {raw_read, raw_close};

/* The size of an open image: a regular file's length, or a block device's. */
static int fd_size(int fd, const char *path, uint64_t *size, de_err *e)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return de_fail_errno(e, errno, "%s", path);
	if (S_ISREG(st.st_mode)) {
		*size = (uint64_t)st.st_size;
		return 0;
	}
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);
		if (end < 0)
			return de_fail_errno(e, errno, "%s", path);
		*size = (uint64_t)end;
		return 0;
	}
	return de_fail(e, "%s: not a file or block device", path);
}

bsrc *bsrc_open_raw(const char *path, de_err *e)
{
	int fd = open_ro(path, e);
	if (fd < 0)
		return NULL;
	uint64_t size;
	if (fd_size(fd, path, &size, e) < 0) {
		close(fd);
		return NULL;
	}
	raw_src *r = xcalloc(1, sizeof *r);
	base_init(&r->b, &raw_ops, size, path, "raw");
	r->fd = fd;
	return &r->b;
}

/* ---- split raw ---- */

typedef struct split_seg {
	int fd;
	uint64_t start, size;
} split_seg;

typedef struct split_src {
	bsrc b;
	split_seg *seg;
	size_t n;
} split_src;

static int split_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	split_src *sp = (split_src *)s;
	size_t lo = 0, hi = sp->n;
	while (hi - lo > 1) {   /* the last segment starting at or before off */
		size_t mid = (lo + hi) / 2;
		if (sp->seg[mid].start <= off)
			lo = mid;
		else
			hi = mid;
	}
	uint8_t *p = buf;
	for (size_t i = lo; len && i < sp->n; i++) {
		const split_seg *g = &sp->seg[i];
		uint64_t in = off - g->start;
		if (in >= g->size)
			continue;   /* an empty segment */
		size_t take = len < g->size - in ? len : (size_t)(g->size - in);
		if (pread_full(g->fd, in, p, take, s->name, e) < 0)
			return de_fail_wrap(e, "segment %zu", i + 1);
		p += take;
		off += take;
		len -= take;
	}
	return len ? de_fail(e, "%s: read past the last segment", s->name) : 0;
}

static void split_close(bsrc *s)
{
	split_src *sp = (split_src *)s;
	for (size_t i = 0; i < sp->n; i++)
		close(sp->seg[i].fd);
	free(sp->seg);
	free(s->name);
	free(s);
}

static const bsrc_ops split_ops = {split_read, split_close};

/* The digits at the end of path (after the last '.'): their offset and
 * count, or 0 when the name does not end in ".NN…" (two digits at least). */
static size_t split_digits(const char *path, size_t *at)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return 0;
	size_t n = strlen(dot + 1);
	if (n < 2 || n > 9 || strspn(dot + 1, "0123456789") != n)
		return 0;
	*at = (size_t)(dot + 1 - path);
	return n;
}

/* The name of segment number k (same width as the first's digits). */
static char *split_name(const char *first, size_t at, size_t width, unsigned long k)
{
	dbuf b = {0};
	db_add(&b, first, at);
	db_addf(&b, "%0*lu", (int)width, k);
	return db_take(&b);
}

bsrc *bsrc_open_split(const char *first, de_err *e)
{
	size_t at, width = split_digits(first, &at);
	if (!width) {
		de_fail(e, "%s: not the first segment of a split image (NAME.001)", first);
		return NULL;
	}
	unsigned long k0 = strtoul(first + at, NULL, 10);
	split_src *sp = xcalloc(1, sizeof *sp);
	size_t cap = 0;
	uint64_t total = 0;
	for (unsigned long k = k0; sp->n < SPLIT_MAX; k++) {
		char *name = split_name(first, at, width, k);
		if (strlen(name) != strlen(first) || (k != k0 && access(name, F_OK) != 0)) {
			free(name);
			break;   /* the number outgrew its width, or no next segment */
		}
		int fd = open_ro(name, e);
		uint64_t size = 0;
		if (fd < 0 || fd_size(fd, name, &size, e) < 0) {
			free(name);
			if (fd >= 0)
				close(fd);
			sp->b.name = strdup(first);
			split_close(&sp->b);
			return NULL;
		}
		free(name);
		if (sp->n == cap)
			sp->seg = xrealloc(sp->seg, (cap = cap ? cap * 2 : 16) * sizeof *sp->seg);
		sp->seg[sp->n++] = (split_seg){fd, total, size};
		total += size;
	}
	base_init(&sp->b, &split_ops, total, first, "split raw");
	return &sp->b;
}

/* ---- memory ---- */

typedef struct mem_src {
	bsrc b;
	const uint8_t *p;
} mem_src;

static int mem_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	(void)e;
	memcpy(buf, ((mem_src *)s)->p + off, len);
	return 0;
}

static void plain_close(bsrc *s)
{
	free(s->name);
	free(s);
}

static const bsrc_ops mem_ops = {mem_read, plain_close};

bsrc *bsrc_mem(const void *data, size_t len, const char *name)
{
	mem_src *m = xcalloc(1, sizeof *m);
	base_init(&m->b, &mem_ops, len, name, "memory");
	m->p = data;
	return &m->b;
}

/* ---- slices and extent maps ---- */

typedef struct map_src {
	bsrc b;
	bsrc_ext *ext;
	size_t n;
} map_src;

static int map_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	map_src *m = (map_src *)s;
	size_t lo = 0, hi = m->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (m->ext[mid].lstart <= off)
			lo = mid;
		else
			hi = mid;
	}
	uint8_t *p = buf;
	for (size_t i = lo; len && i < m->n; i++) {
		const bsrc_ext *x = &m->ext[i];
		uint64_t in = off - x->lstart;
		size_t take = len < x->len - in ? len : (size_t)(x->len - in);
		if (bsrc_read(x->src, x->pstart + in, p, take, e) < 0)
			return de_fail_wrap(e, "%s", s->name);
		p += take;
		off += take;
		len -= take;
	}
	return 0;
}

static void map_close(bsrc *s)
{
	free(((map_src *)s)->ext);
	plain_close(s);
}

static const bsrc_ops map_ops = {map_read, map_close};

bsrc *bsrc_map(const bsrc_ext *ext, size_t n, const char *name, de_err *e)
{
	uint64_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const bsrc_ext *x = &ext[i];
		if (x->lstart != at || x->len == 0)
			return de_fail(e, "%s: extent %zu starts at %llu, not %llu", name, i,
			               (unsigned long long)x->lstart, (unsigned long long)at), NULL;
		if (x->pstart > x->src->size || x->len > x->src->size - x->pstart)
			return de_fail(e, "%s: extent %zu (%llu bytes at %llu) lies past the end of %s "
			               "(%llu bytes)", name, i, (unsigned long long)x->len,
			               (unsigned long long)x->pstart, x->src->name,
			               (unsigned long long)x->src->size), NULL;
		at += x->len;
	}
	if (n == 0)
		return de_fail(e, "%s: no extents", name), NULL;
	map_src *m = xcalloc(1, sizeof *m);
	m->ext = xmalloc(n * sizeof *ext);
	memcpy(m->ext, ext, n * sizeof *ext);
	m->n = n;
	base_init(&m->b, &map_ops, at, name, n == 1 ? "partition" : "lvm");
	m->b.sector = ext[0].src->sector;
	return &m->b;
}

bsrc *bsrc_slice(bsrc *parent, uint64_t off, uint64_t len, const char *name, de_err *e)
{
	bsrc_ext x = {0, len, parent, off};
	return bsrc_map(&x, 1, name, e);
}

/* ---- the metadata cache ---- */

#define CACHE_WAYS 4

typedef struct cache_slot {
	uint64_t tag;    /* slot index + 1; 0: empty */
	uint64_t used;   /* tick of the last use */
} cache_slot;

typedef struct cache_src {
	bsrc b;
	bsrc *parent;
	size_t slot, nsets;
	unsigned shift;
	cache_slot *meta;
	uint8_t *data;
	uint64_t tick;
} cache_src;

/* The bytes of slot index idx, read from the parent on a miss. */
static const uint8_t *cache_get(cache_src *c, uint64_t idx, de_err *e)
{
	size_t set = (size_t)((idx * 0x9E3779B97F4A7C15ull) >> c->shift) % c->nsets;
	cache_slot *w = &c->meta[set * CACHE_WAYS];
	size_t victim = 0;
	for (size_t i = 0; i < CACHE_WAYS; i++) {
		if (w[i].tag == idx + 1) {
			w[i].used = ++c->tick;
			return c->data + (set * CACHE_WAYS + i) * c->slot;
		}
		if (w[i].used < w[victim].used)
			victim = i;
	}
	uint8_t *d = c->data + (set * CACHE_WAYS + victim) * c->slot;
	uint64_t base = idx * c->slot;
	size_t n = c->b.size - base < c->slot ? (size_t)(c->b.size - base) : c->slot;
	w[victim].tag = 0;
	if (bsrc_read(c->parent, base, d, n, e) < 0)
		return NULL;
	w[victim] = (cache_slot){idx + 1, ++c->tick};
	return d;
}

static int cache_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	cache_src *c = (cache_src *)s;
	if (len > c->slot)
		return bsrc_read(c->parent, off, buf, len, e);
	uint8_t *p = buf;
	while (len) {
		uint64_t idx = off / c->slot;
		size_t in = (size_t)(off % c->slot);
		size_t take = len < c->slot - in ? len : c->slot - in;
		const uint8_t *d = cache_get(c, idx, e);
		if (!d)
			return -1;
		memcpy(p, d + in, take);
		p += take;
		off += take;
		len -= take;
	}
	return 0;
}

static void cache_close(bsrc *s)
{
	cache_src *c = (cache_src *)s;
	free(c->meta);
	free(c->data);
	plain_close(s);
}

static const bsrc_ops cache_ops = {cache_read, cache_close};

bsrc *bsrc_cached(bsrc *parent, size_t slot, size_t nslots, de_err *e)
{
	if (slot < 512 || (slot & (slot - 1)) || nslots < CACHE_WAYS)
		return de_fail(e, "cache of %zu slots of %zu bytes: bad geometry", nslots, slot), NULL;
	cache_src *c = xcalloc(1, sizeof *c);
	base_init(&c->b, &cache_ops, parent->size, parent->name, "cache");
	c->b.sector = parent->sector;
	c->parent = parent;
	c->slot = slot;
	c->nsets = nslots / CACHE_WAYS;
	c->shift = 40;
	c->meta = xcalloc(c->nsets * CACHE_WAYS, sizeof *c->meta);
	c->data = xmalloc(c->nsets * CACHE_WAYS * slot);
	return &c->b;
}

/* ---- format detection ---- */

static bool has(const uint8_t *p, size_t n, size_t at, const char *magic, size_t mlen)
{
	return n >= at + mlen && memcmp(p + at, magic, mlen) == 0;
}

const char *bsrc_detect(const char *path, de_err *e)
{
	int fd = open_ro(path, e);
	if (fd < 0)
		return NULL;
	uint8_t head[512] = {0}, tail[512] = {0};
	uint64_t size = 0;
	ssize_t n = pread(fd, head, sizeof head, 0);
	if (n < 0 || fd_size(fd, path, &size, e) < 0) {
		if (n < 0)
			de_fail_errno(e, errno, "%s", path);
		close(fd);
		return NULL;
	}
	ssize_t t = size >= 512 ? pread(fd, tail, sizeof tail, (off_t)(size - 512)) : 0;
	close(fd);
	size_t h = (size_t)n;
	if (has(head, h, 0, "QFI\xfb", 4))
		return "qcow2";
	if (has(head, h, 0, "EVF\x09\x0d\x0a\xff\x00", 8) || has(head, h, 0, "EVF2\x0d\x0a\x81\x00", 8))
		return "ewf";
	if (has(head, h, 0, "LVF\x09\x0d\x0a\xff\x00", 8) || has(head, h, 0, "LEF2\x0d\x0a\x81\x00", 8))
		return de_fail(e, "%s: an EnCase logical evidence file (L01/Lx01) holds files, "
		               "not a disk image", path), NULL;
	if (has(head, h, 0, "KDMV", 4) || has(head, h, 0, "COWD", 4) ||
	    has(head, h, 0, "# Disk DescriptorFile", 21))
		return "vmdk";
	if (has(head, h, 0, "vhdxfile", 8))
		return "vhdx";
	/* VHD: a footer "conectix" at the end (fixed disks: raw + footer), and
	 * a copy of it at the start of dynamic and differencing ones. */
	if (has(head, h, 0, "conectix", 8) || (t == 512 && memcmp(tail, "conectix", 8) == 0))
		return "vhd";
	size_t at;
	if (split_digits(path, &at)) {
		char *next = split_name(path, at, strlen(path) - at, strtoul(path + at, NULL, 10) + 1);
		bool split = strlen(next) == strlen(path) && access(next, F_OK) == 0;
		free(next);
		if (split)
			return "split raw";
	}
	return "raw";
}

bsrc *bsrc_open(const char *path, de_err *e)
{
	const char *fmt = bsrc_detect(path, e);
	if (!fmt)
		return NULL;
	if (strcmp(fmt, "qcow2") == 0)
		return bsrc_open_qcow(path, e);
	if (strcmp(fmt, "split raw") == 0)
		return bsrc_open_split(path, e);
	if (strcmp(fmt, "raw") == 0)
		return bsrc_open_raw(path, e);
	return bsrc_open_tsk(path, fmt, e);
}

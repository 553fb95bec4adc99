/*
 * bbolt.c — see bbolt.h.
 */
#include "bbolt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/evh.h"
#include "../util/strvec.h"

#define MAGIC 0xED0CDAEDu
#define PAGE_HDR 16
#define F_BRANCH 0x01
#define F_LEAF 0x02
#define F_META 0x04
#define LEAF_ELEM 16
#define BRANCH_ELEM 16
#define BUCKET_HDR 16
#define BUCKET_FLAG 0x01

struct bb_db {
	const uint8_t *data;
	size_t len;
	bool mapped;
	bool virt;   /* a copy of a virtual descriptor's file (evh_map), not a mapping */
	uint32_t page_size;
	uint64_t root, txid, npages;
	char *name;
};

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/* A meta page at offset off: 0 when valid (fills page size, root, txid). */
static int read_meta(const uint8_t *d, size_t len, size_t off, uint32_t *psz, uint64_t *root,
                     uint64_t *txid)
{
	if (off > len || len - off < PAGE_HDR + 64)
		return -1;
	const uint8_t *p = d + off, *m = p + PAGE_HDR;
	if (!(le16(p + 8) & F_META) || le32(m) != MAGIC || le32(m + 4) != 2)
		return -1;
	if (fnv1a(m, 56) != le64(m + 56))
		return -1;
	uint32_t ps = le32(m + 8);
	if (ps < 512 || ps > (1u << 20) || (ps & (ps - 1)))
		return -1;
	*psz = ps;
	*root = le64(m + 16);
	*txid = le64(m + 48);
	return 0;
}

static int setup(bb_db *db, de_err *e)
{
	uint32_t ps0 = 0, ps1 = 0;
	uint64_t r0 = 0, r1 = 0, t0 = 0, t1 = 0;
	bool ok0 = read_meta(db->data, db->len, 0, &ps0, &r0, &t0) == 0;
	bool ok1 = false;
	/* the second meta page is one page in: try meta 0's page size, then
	 * the sizes bbolt uses on common systems */
	uint32_t sizes[] = {ps0, 4096, 8192, 16384, 65536};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes && !ok1; i++)
		if (sizes[i])
			ok1 = read_meta(db->data, db->len, sizes[i], &ps1, &r1, &t1) == 0 &&
			      ps1 == sizes[i];
	if (!ok0 && !ok1)
		return de_fail(e, "%s: not a bbolt database (no valid meta page)", db->name);
	bool use1 = ok1 && (!ok0 || t1 > t0);
	db->page_size = use1 ? ps1 : ps0;
	db->root = use1 ? r1 : r0;
	db->txid = use1 ? t1 : t0;
	db->npages = db->len / db->page_size;
	if (db->root < 2 || db->root >= db->npages)
		return de_fail(e, "%s: root page %llu outside the file", db->name,
		               (unsigned long long)db->root);
	return 0;
}

int bb_open_mem(bb_db **out, const uint8_t *data, size_t len, const char *name, de_err *e)
{
	bb_db *db = xcalloc(1, sizeof *db);
	db->data = data;
	db->len = len;
	db->name = xstrdup(name);
	if (setup(db, e) < 0) {
		bb_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int bb_open_fd(bb_db **out, int fd, const char *name, de_err *e)
{
	struct stat st;
	if (evh_fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		evh_close(fd);
		return de_fail(e, "%s: not a regular file", name);
	}
	if ((uint64_t)st.st_size > BB_MAX_FILE || st.st_size < 2 * 512) {
		evh_close(fd);
		return de_fail(e, "%s: %lld bytes: not a bbolt database this reader takes", name,
		               (long long)st.st_size);
	}
	size_t len = 0;
	bool virt = evh_is_virtual(fd);
	void *p = evh_map(fd, BB_MAX_FILE, &len);
	int err = errno;
	evh_close(fd);
	if (!p)
		return de_fail_errno(e, err, "%s", name);
	if (bb_open_mem(out, p, len, name, e) < 0) {
		evh_unmap(p, len, virt);
		return -1;
	}
	(*out)->mapped = true;
	(*out)->virt = virt;
	return 0;
}

int bb_open(bb_db **out, const ev_root *root, const char *rel, de_err *e)
{
	int fd = ev_open(root, rel, 0, e);
	if (fd < 0)
		return -1;
	char *name = xasprintf("%s/%s", root->path, rel);
	int rc = bb_open_fd(out, fd, name, e);
	free(name);
	return rc;
}

void bb_close(bb_db *db)
{
	if (!db)
		return;
	if (db->mapped)
		evh_unmap((void *)db->data, db->len, db->virt);
	free(db->name);
	free(db);
}

uint64_t bb_txid(const bb_db *db) { return db->txid; }
uint32_t bb_page_size(const bb_db *db) { return db->page_size; }

void bb_root(const bb_db *db, bb_bucket *out)
{
	*out = (bb_bucket){.db = db, .root = db->root};
}

/* A page: its bytes and length (with its overflow pages), checked. */
typedef struct page {
	const uint8_t *p;
	size_t len;
	uint16_t flags, count;
} page;

static int get_page(const bb_db *db, uint64_t id, page *pg, de_err *e)
{
	if (id < 2 || id >= db->npages)
		return de_fail(e, "%s: page %llu outside the file", db->name, (unsigned long long)id);
	const uint8_t *p = db->data + id * db->page_size;
	uint64_t over = le32(p + 12);
	if (over >= db->npages - id)
		return de_fail(e, "%s: page %llu runs past the end of the file", db->name,
		               (unsigned long long)id);
	*pg = (page){p, (size_t)((over + 1) * db->page_size), le16(p + 8), le16(p + 10)};
	return 0;
}

/* The bucket's own page when inline. */
static int inline_page(const bb_bucket *b, page *pg, de_err *e)
{
	if (b->inline_len < PAGE_HDR)
		return de_fail(e, "%s: inline bucket shorter than a page header", b->db->name);
	*pg = (page){b->inline_page, b->inline_len, le16(b->inline_page + 8),
	             le16(b->inline_page + 10)};
	return 0;
}

/* Key and value of leaf element i, checked to lie within the page. */
static int leaf_elem(const bb_db *db, const page *pg, unsigned i, const uint8_t **k, size_t *kl,
                     const uint8_t **v, size_t *vl, bool *bucket, de_err *e)
{
	size_t at = PAGE_HDR + (size_t)i * LEAF_ELEM;
	if (at + LEAF_ELEM > pg->len)
		return de_fail(e, "%s: leaf element beyond its page", db->name);
	const uint8_t *el = pg->p + at;
	uint64_t pos = le32(el + 4), ks = le32(el + 8), vs = le32(el + 12);
	if (at + pos + ks + vs > pg->len)
		return de_fail(e, "%s: leaf key or value beyond its page", db->name);
	*k = el + pos;
	*kl = (size_t)ks;
	*v = el + pos + ks;
	*vl = (size_t)vs;
	*bucket = le32(el) & BUCKET_FLAG;
	return 0;
}

static int branch_elem(const bb_db *db, const page *pg, unsigned i, const uint8_t **k,
                       size_t *kl, uint64_t *child, de_err *e)
{
	size_t at = PAGE_HDR + (size_t)i * BRANCH_ELEM;
	if (at + BRANCH_ELEM > pg->len)
		return de_fail(e, "%s: branch element beyond its page", db->name);
	const uint8_t *el = pg->p + at;
	uint64_t pos = le32(el), ks = le32(el + 4);
	if (at + pos + ks > pg->len)
		return de_fail(e, "%s: branch key beyond its page", db->name);
	*k = el + pos;
	*kl = (size_t)ks;
	*child = le64(el + 8);
	return 0;
}

/* Visited pages of one traversal: a bit per page. */
typedef struct seen {
	uint8_t *bits;
} seen;

static bool seen_once(seen *s, const bb_db *db, uint64_t id)
{
	if (!s->bits)
		s->bits = xcalloc((size_t)(db->npages / 8 + 1), 1);
	bool was = s->bits[id / 8] & (1u << (id % 8));
	s->bits[id / 8] |= (uint8_t)(1u << (id % 8));
	return was;
}

static int walk_page(const bb_db *db, const page *pg, bb_fn fn, void *arg, seen *s,
                     unsigned depth, de_err *e)
{
	if (depth > BB_MAX_DEPTH)
		return de_fail(e, "%s: tree deeper than %d", db->name, BB_MAX_DEPTH);
	for (unsigned i = 0; i < pg->count; i++) {
		const uint8_t *k, *v;
		size_t kl, vl;
		if (pg->flags & F_LEAF) {
			bool bucket;
			if (leaf_elem(db, pg, i, &k, &kl, &v, &vl, &bucket, e) < 0)
				return -1;
			int rc = fn(arg, k, kl, v, vl, bucket);
			if (rc < 0)
				return rc;
		} else if (pg->flags & F_BRANCH) {
			uint64_t child;
			page cp;
			if (branch_elem(db, pg, i, &k, &kl, &child, e) < 0 || get_page(db, child, &cp, e) < 0)
				return -1;
			if (seen_once(s, db, child))
				return de_fail(e, "%s: page %llu reached twice (a loop)", db->name,
				               (unsigned long long)child);
			int rc = walk_page(db, &cp, fn, arg, s, depth + 1, e);
			if (rc < 0)
				return rc;
		} else {
			return de_fail(e, "%s: a page that is neither branch nor leaf in a tree",
			               db->name);
		}
	}
	return 0;
}

int bb_foreach(const bb_bucket *b, bb_fn fn, void *arg, de_err *e)
{
	page pg;
	seen s = {0};
	int rc;
	if (b->root == 0) {
		if (inline_page(b, &pg, e) < 0)
			return -1;
		if (!(pg.flags & F_LEAF))
			return de_fail(e, "%s: an inline bucket that is not a leaf", b->db->name);
	} else if (get_page(b->db, b->root, &pg, e) < 0) {
		return -1;
	} else {
		seen_once(&s, b->db, b->root);
	}
	rc = walk_page(b->db, &pg, fn, arg, &s, 0, e);
	free(s.bits);
	return rc;
}

static int keycmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (al > bl) - (al < bl);
}

int bb_get(const bb_bucket *b, const void *key, size_t klen, const uint8_t **v, size_t *vlen,
           bool *is_bucket, de_err *e)
{
	page pg;
	if (b->root == 0) {
		if (inline_page(b, &pg, e) < 0)
			return -1;
	} else if (get_page(b->db, b->root, &pg, e) < 0) {
		return -1;
	}
	for (unsigned depth = 0; depth <= BB_MAX_DEPTH; depth++) {
		if (pg.flags & F_LEAF) {
			for (unsigned i = 0; i < pg.count; i++) {
				const uint8_t *k;
				size_t kl;
				if (leaf_elem(b->db, &pg, i, &k, &kl, v, vlen, is_bucket, e) < 0)
					return -1;
				if (!keycmp(k, kl, key, klen))
					return 1;
			}
			return 0;
		}
		if (!(pg.flags & F_BRANCH) || pg.count == 0)
			return de_fail(e, "%s: a malformed tree page", b->db->name);
		/* the last element whose key is <= key leads to it */
		uint64_t next = 0;
		for (unsigned i = 0; i < pg.count; i++) {
			const uint8_t *k;
			size_t kl;
			uint64_t child;
			if (branch_elem(b->db, &pg, i, &k, &kl, &child, e) < 0)
				return -1;
			if (i == 0 || keycmp(k, kl, key, klen) <= 0)
				next = child;
			else
				break;
		}
		if (get_page(b->db, next, &pg, e) < 0)
			return -1;
	}
	return de_fail(e, "%s: tree deeper than %d", b->db->name, BB_MAX_DEPTH);
}

int bb_bucket_of(const bb_db *db, const uint8_t *v, size_t vlen, bb_bucket *out, de_err *e)
{
	if (vlen < BUCKET_HDR)
		return de_fail(e, "%s: a bucket value shorter than its header", db->name);
	*out = (bb_bucket){.db = db, .root = le64(v)};
	if (out->root == 0) {
		out->inline_page = v + BUCKET_HDR;
		out->inline_len = vlen - BUCKET_HDR;
	}
	return 0;
}

int bb_sub(const bb_bucket *b, const char *key, bb_bucket *out, de_err *e)
{
	const uint8_t *v;
	size_t vl;
	bool bucket;
	int r = bb_get(b, key, strlen(key), &v, &vl, &bucket, e);
	if (r <= 0)
		return r;
	if (!bucket)
		return 0;
	return bb_bucket_of(b->db, v, vl, out, e) < 0 ? -1 : 1;
}

int bb_path(const bb_db *db, bb_bucket *out, de_err *e, ...)
{
	va_list ap;
	bb_root(db, out);
	va_start(ap, e);
	const char *name;
	int r = 1;
	while ((name = va_arg(ap, const char *)) != NULL) {
		bb_bucket next;
		r = bb_sub(out, name, &next, e);
		if (r <= 0)
			break;
		*out = next;
	}
	va_end(ap);
	return r;
}

char *bb_get_str(const bb_bucket *b, const char *key)
{
	const uint8_t *v;
	size_t vl;
	bool isb;
	if (bb_get(b, key, strlen(key), &v, &vl, &isb, NULL) != 1 || isb)
		return NULL;
	return xstrndup((const char *)v, vl);
}

uint64_t bb_uvarint(const uint8_t *v, size_t n)
{
	uint64_t u = 0;
	for (size_t i = 0, shift = 0; i < n && shift < 64; i++, shift += 7) {
		u |= (uint64_t)(v[i] & 0x7f) << shift;
		if (!(v[i] & 0x80))
			break;
	}
	return u;
}

int64_t bb_varint(const uint8_t *v, size_t n)
{
	uint64_t u = bb_uvarint(v, n);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

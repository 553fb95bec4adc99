/* Fuzz target: a bbolt database file (bbolt/bbolt.c): open it and walk
 * every bucket, as the containerd and Podman readers will. */
#include <stdint.h>
#include <stdlib.h>

#include "bbolt/bbolt.h"

static int walk(const bb_db *db, const bb_bucket *b, unsigned depth);

typedef struct ctx {
	const bb_db *db;
	unsigned depth;
} ctx;

static int cb(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, bool bucket)
{
	ctx *c = arg;
	(void)k; (void)kl;
	bb_bucket sub;
	de_err e;
	if (bucket && c->depth < 16 && bb_bucket_of(c->db, v, vl, &sub, &e) == 0)
		return walk(c->db, &sub, c->depth + 1);
	return 0;
}

static int walk(const bb_db *db, const bb_bucket *b, unsigned depth)
{
	ctx c = {db, depth};
	de_err e;
	const uint8_t *v;
	size_t vl;
	bool isb;
	bb_get(b, "k8s.io", 6, &v, &vl, &isb, &e);
	return bb_foreach(b, cb, &c, &e) < 0 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bb_db *db;
	de_err e;
	if (bb_open_mem(&db, data, size, "fuzz", &e) < 0)
		return 0;
	bb_bucket root;
	bb_root(db, &root);
	walk(db, &root, 0);
	bb_close(db);
	return 0;
}

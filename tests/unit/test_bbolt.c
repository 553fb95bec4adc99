/* Unit tests: bbolt/ — a real containerd meta.db (made by
 * tests/fixtures/make-bbolt-samples.sh), and hostile variants of it made
 * here in memory: every damage must be an error, never a crash or a loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bbolt/bbolt.h"

#define SAMPLE "tests/data/bbolt/containerd-meta.db"

static uint8_t *load(size_t *len)
{
	FILE *f = fopen(SAMPLE, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc(*len);
	assert_int_equal(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

typedef struct names {
	char v[16][64];
	int n;
} names;

static int collect(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, bool b)
{
	names *n = arg;
	(void)v; (void)vl; (void)b;
	if (n->n < 16 && kl < 64) {
		memcpy(n->v[n->n], k, kl);
		n->v[n->n][kl] = '\0';
		n->n++;
	}
	return 0;
}

static void test_real_meta_db(void **state)
{
	(void)state;
	bb_db *db;
	de_err e;
	int fd = open(SAMPLE, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(bb_open_fd(&db, fd, "meta.db", &e), 0);
	assert_int_equal(bb_page_size(db), 4096);
	bb_bucket root, ns, b;
	bb_root(db, &root);
	names n = {0};
	assert_int_equal(bb_foreach(&root, collect, &n, &e), 0);
	assert_int_equal(n.n, 1);
	assert_string_equal(n.v[0], "v1");
	/* v1/: the namespaces, in key order, and containerd's schema "version" */
	assert_int_equal(bb_path(db, &ns, &e, "v1", NULL), 1);
	memset(&n, 0, sizeof n);
	assert_int_equal(bb_foreach(&ns, collect, &n, &e), 0);
	assert_int_equal(n.n, 3);
	assert_string_equal(n.v[0], "k8s.io");
	assert_string_equal(n.v[1], "moby");
	assert_string_equal(n.v[2], "version");
	/* the label set on k8s.io */
	assert_int_equal(bb_path(db, &b, &e, "v1", "k8s.io", "labels", NULL), 1);
	const uint8_t *v;
	size_t vl;
	bool isb;
	assert_int_equal(bb_get(&b, "team", 4, &v, &vl, &isb, &e), 1);
	assert_false(isb);
	assert_int_equal(vl, 3);
	assert_memory_equal(v, "red", 3);
	assert_int_equal(bb_get(&b, "nope", 4, &v, &vl, &isb, &e), 0);
	assert_int_equal(bb_path(db, &b, &e, "v1", "k8s.io", "leases", "lease1", NULL), 1);
	assert_int_equal(bb_path(db, &b, &e, "v1", "absent", NULL), 0);
	bb_close(db);
}

static int walk_all(bb_db *db, bb_bucket *b, unsigned depth, de_err *e);

typedef struct walkctx {
	bb_db *db;
	unsigned depth;
	de_err *e;
	int rc;
} walkctx;

static int walk_cb(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, bool b)
{
	walkctx *w = arg;
	(void)k; (void)kl;
	if (!b || w->depth > 8)
		return 0;
	bb_bucket sub;
	if (bb_bucket_of(w->db, v, vl, &sub, w->e) < 0 || walk_all(w->db, &sub, w->depth + 1, w->e) < 0) {
		w->rc = -1;
		return -1;
	}
	return 0;
}

static int walk_all(bb_db *db, bb_bucket *b, unsigned depth, de_err *e)
{
	walkctx w = {db, depth, e, 0};
	int rc = bb_foreach(b, walk_cb, &w, e);
	return rc < 0 || w.rc < 0 ? -1 : 0;
}

static void test_hostile_variants(void **state)
{
	(void)state;
	size_t len;
	uint8_t *orig = load(&len), *p = malloc(len);
	de_err e;
	bb_db *db;
	bb_bucket root;
	assert_int_equal(bb_open_mem(&db, orig, len, "orig", &e), 0);
	bb_root(db, &root);
	assert_int_equal(walk_all(db, &root, 0, &e), 0);   /* the real file walks clean */
	bb_close(db);
	/* cut at any length: an error or a clean walk, never a crash */
	for (size_t cut = 0; cut < len; cut += 509) {
		if (bb_open_mem(&db, orig, cut, "cut", &e) == 0) {
			bb_root(db, &root);
			walk_all(db, &root, 0, &e);
			bb_close(db);
		}
	}
	/* a byte flipped, at every seventh position */
	unsigned opened = 0, failed = 0;
	for (size_t at = 0; at < len; at += 7) {
		memcpy(p, orig, len);
		p[at] ^= 0xff;
		if (bb_open_mem(&db, p, len, "flip", &e) == 0) {
			opened++;
			bb_root(db, &root);
			failed += walk_all(db, &root, 0, &e) < 0;
			bb_close(db);
		}
	}
	assert_true(opened > 0);
	assert_true(failed > 0);   /* damage inside the tree is seen */
	memcpy(p, orig, len);
	/* both meta pages broken: not a database */
	p[16] ^= 1;
	p[4096 + 16] ^= 1;
	assert_int_equal(bb_open_mem(&db, p, len, "nometa", &e), -1);
	assert_non_null(strstr(e.msg, "not a bbolt database"));
	free(p);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_meta_db),
		cmocka_unit_test(test_hostile_variants),
	};
	return cmocka_run_group_tests_name("bbolt", tests, NULL, NULL);
}

/*
 * bbolt.c — `de bbolt FILE [BUCKET...]`: a bbolt (BoltDB) database as JSON,
 * for the analyst facing a database de does not interpret yet (Podman's
 * bolt_state.db, Docker's volumes/metadata.db, any Go program's state).
 * Buckets are objects; values are strings when they are printable UTF-8,
 * else {"hex": …}. Read-only, every page checked (src/bbolt/).
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "../bbolt/bbolt.h"
#include "../output/json_out.h"

static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f)
			return false;
	return true;
}

static json_t *value_json(const uint8_t *v, size_t n)
{
	char *s = xstrndup((const char *)v, n);
	json_t *j = printable(v, n) ? json_stringn(s, n) : NULL;
	free(s);
	if (j)
		return j;   /* valid UTF-8 (json_stringn checks it) */
	dbuf b = {0};
	for (size_t i = 0; i < n; i++)
		db_addf(&b, "%02x", v[i]);
	json_t *o = json_object();
	json_object_set_new(o, "hex", json_string(b.p ? b.p : ""));
	db_free(&b);
	return o;
}

typedef struct dump {
	const bb_db *db;
	json_t *obj;
	unsigned depth;
	int err;
} dump;

static json_t *bucket_json(const bb_db *db, const bb_bucket *b, unsigned depth, int *err);

static int on_kv(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, bool bucket)
{
	dump *d = arg;
	char *key = xstrndup((const char *)k, kl);
	json_t *val;
	if (bucket) {
		bb_bucket sub;
		de_err e;
		if (d->depth >= 32 || bb_bucket_of(d->db, v, vl, &sub, &e) < 0) {
			de_warn("bucket \"%s\": %s", key, d->depth >= 32 ? "deeper than 32" : e.msg);
			val = json_null();
		} else {
			val = bucket_json(d->db, &sub, d->depth + 1, &d->err);
		}
	} else {
		val = value_json(v, vl);
	}
	json_t *kj = de_json_str(key);
	json_object_set_new(d->obj, json_string_value(kj), val);
	json_decref(kj);
	free(key);
	return 0;
}

static json_t *bucket_json(const bb_db *db, const bb_bucket *b, unsigned depth, int *err)
{
	dump d = {db, json_object(), depth, 0};
	de_err e;
	if (bb_foreach(b, on_kv, &d, &e) < 0) {
		de_warn("%s", e.msg);
		*err = 1;
	}
	return d.obj;
}

int cmd_bbolt(const de_args *a, const de_opts *g)
{
	const char *out = de_str(a, DE_K_OUTPUT);
	(void)g;
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	const char *file = a->pos[0];
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(file, O_RDONLY | O_CLOEXEC);
	bb_db *db;
	de_err e;
	if (fd < 0) {
		de_error("%s: %s", file, strerror(errno));
		return DE_EXIT_ERROR;
	}
	if (bb_open_fd(&db, fd, file, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	bb_bucket b;
	bb_root(db, &b);
	for (size_t i = 1; i < a->npos; i++) {
		bb_bucket next;
		int r = bb_sub(&b, a->pos[i], &next, &e);
		if (r <= 0) {
			de_error("%s: no bucket \"%s\"%s%s", file, a->pos[i], r < 0 ? ": " : "",
			         r < 0 ? e.msg : "");
			bb_close(db);
			return DE_EXIT_ERROR;
		}
		b = next;
	}
	int err = 0;
	json_t *j = bucket_json(db, &b, 0, &err);
	int rc = de_emit_json(j);
	json_decref(j);
	bb_close(db);
	return rc;
}

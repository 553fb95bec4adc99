/*
 * hashbatch.c — see hashbatch.h.
 */
#include "hashbatch.h"

#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "evh.h"
#include "hashfile.h"
#include "pool.h"
#include "strvec.h"

size_t de_hash_batch_add(de_hash_batch *b, int fd, const char *what, bool md5, uint64_t size)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = xrealloc(b->v, b->cap * sizeof *b->v);
	}
	b->v[b->n] = (de_hash_job){.fd = fd, .what = xstrdup(what), .want_md5 = md5};
	b->bytes += size;
	return b->n++;
}

bool de_hash_batch_full(const de_hash_batch *b)
{
	return b->n >= DE_HASH_BATCH_FILES || b->bytes >= DE_HASH_BATCH_BYTES;
}

static void hash_task(void *arg, size_t i)
{
	de_hash_job *j = &((de_hash_batch *)arg)->v[i];
	de_err e;
	j->ok = de_hash_fd(j->fd, j->sha256, j->want_md5 ? j->md5 : NULL, &e) == 0;
	if (!j->ok)
		de_warn("%s: not hashed: %s", j->what, e.msg);
	evh_close(j->fd);
	j->fd = -1;
}

void de_hash_batch_run(de_hash_batch *b)
{
	de_pool_run(b->n, hash_task, b);
}

void de_hash_batch_clear(de_hash_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		if (b->v[i].fd >= 0)
			evh_close(b->v[i].fd);
		free(b->v[i].what);
	}
	b->n = 0;
	b->bytes = 0;
}

void de_hash_batch_free(de_hash_batch *b)
{
	de_hash_batch_clear(b);
	free(b->v);
	b->v = NULL;
	b->cap = 0;
}

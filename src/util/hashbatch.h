/*
 * hashbatch.h — files hashed on every core, for the commands that walk a
 * tree and hash what they meet (diff --hash, timeline --hash): they open
 * each file as the walk meets it, add it here, hold back what they print
 * about it, and run the batch when it is full (or the walk ends); then
 * print, in walk order, with each job's result.
 *
 * Contract: de_hash_batch_add takes the descriptor, an evh one (util/evh.h,
 * as un_walk_open gives; closed by the run with evh_close);
 * de_hash_batch_run hashes every job on the pool (util/pool.h), each file
 * whole, and warns "WHAT: not hashed: WHY" for a job that failed, in the
 * order the jobs were added. A batch holds at most DE_HASH_BATCH_FILES
 * descriptors: the caller runs it when de_hash_batch_full says so.
 */
#ifndef DE_HASHBATCH_H
#define DE_HASHBATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DE_HASH_BATCH_FILES 256
#define DE_HASH_BATCH_BYTES (256ull << 20)

typedef struct de_hash_job {
	int fd;
	char *what;           /* named in the warning */
	bool want_md5;
	bool ok;              /* after the run: hashed */
	char sha256[65], md5[33];
} de_hash_job;

typedef struct de_hash_batch {
	de_hash_job *v;
	size_t n, cap;
	uint64_t bytes;
} de_hash_batch;

/* The job's index. */
size_t de_hash_batch_add(de_hash_batch *b, int fd, const char *what, bool md5, uint64_t size);
bool de_hash_batch_full(const de_hash_batch *b);
void de_hash_batch_run(de_hash_batch *b);
/* Forgets the jobs (after the caller read their results); keeps the room. */
void de_hash_batch_clear(de_hash_batch *b);
void de_hash_batch_free(de_hash_batch *b);

#endif

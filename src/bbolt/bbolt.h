/*
 * bbolt.h — a read-only reader of bbolt (Go's BoltDB) database files, the
 * format of containerd's meta.db and metadata.db, Docker's volumes
 * metadata.db and Podman's bolt_state.db. No C library reads it; this one
 * reads only what the format says and trusts none of it.
 *
 * Format (go.etcd.io/bbolt, page.go, db.go):
 *  - the file is pages of pageSize bytes; pages 0 and 1 are meta pages, of
 *    which the valid one (magic 0xED0CDAED, version 2, FNV-1a 64 checksum
 *    of its first 56 bytes) with the larger txid is current;
 *  - a page starts with {id u64, flags u16, count u16, overflow u32}; flags
 *    0x01 branch, 0x02 leaf, 0x04 meta, 0x10 freelist; a page continues
 *    over `overflow` more pages;
 *  - leaf elements {flags u32, pos u32, ksize u32, vsize u32}, the key at
 *    element + pos, the value right after it; flag 0x01 marks a bucket;
 *  - branch elements {pos u32, ksize u32, pgid u64};
 *  - a bucket value is {root pgid u64, sequence u64}; root 0 is an inline
 *    bucket, whose leaf page follows in the value itself.
 * Every page number, count, offset and length is checked against the file
 * (or the inline value) before use; trees are walked at most BB_MAX_DEPTH
 * deep and never visit a page twice: a hostile file gives an error, never
 * a crash or a loop. All integers are little-endian (the machines that
 * write these files); the file is mapped read-only.
 */
#ifndef DE_BBOLT_H
#define DE_BBOLT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"
#include "../util/evfs.h"

#define BB_MAX_DEPTH 64
#define BB_MAX_FILE  (4ull << 30)

typedef struct bb_db bb_db;

/* A bucket: a B+tree rooted at a page, or inline in its parent's value. */
typedef struct bb_bucket {
	const bb_db *db;
	uint64_t root;              /* 0: inline */
	const uint8_t *inline_page; /* the inline page, when root is 0 */
	size_t inline_len;
} bb_bucket;

int bb_open(bb_db **out, const ev_root *root, const char *rel, de_err *e);
int bb_open_fd(bb_db **out, int fd, const char *name, de_err *e);   /* takes fd (an evh descriptor) */
/* From bytes in memory (fuzzing, tests): not copied; must outlive db. */
int bb_open_mem(bb_db **out, const uint8_t *data, size_t len, const char *name, de_err *e);
void bb_close(bb_db *db);
uint64_t bb_txid(const bb_db *db);
uint32_t bb_page_size(const bb_db *db);

/* The root bucket (whose keys are the top-level buckets). */
void bb_root(const bb_db *db, bb_bucket *out);

/* Each key of b in order; fn returns 0 to go on, <0 to stop (returned). */
typedef int (*bb_fn)(void *arg, const uint8_t *k, size_t klen, const uint8_t *v, size_t vlen,
                     bool is_bucket);
int bb_foreach(const bb_bucket *b, bb_fn fn, void *arg, de_err *e);

/* The value of key in b: 1 found (a bucket when *is_bucket), 0 absent, -1 error. */
int bb_get(const bb_bucket *b, const void *key, size_t klen, const uint8_t **v, size_t *vlen,
           bool *is_bucket, de_err *e);
/* The bucket key of b: 1 found, 0 absent (or not a bucket), -1 error. */
int bb_sub(const bb_bucket *b, const char *key, bb_bucket *out, de_err *e);
/* A bucket from a bucket value as bb_foreach gives it; -1 if malformed. */
int bb_bucket_of(const bb_db *db, const uint8_t *v, size_t vlen, bb_bucket *out, de_err *e);
/* The value of key as a new string; NULL when absent, a bucket, or unreadable. */
char *bb_get_str(const bb_bucket *b, const char *key);

/* Go's encoding/binary varints, as containerd's stores write numbers in
 * bbolt values (snapshot ids, sizes): unsigned, and zigzag-signed. A value
 * cut short gives what was read so far. */
uint64_t bb_uvarint(const uint8_t *v, size_t n);
int64_t bb_varint(const uint8_t *v, size_t n);

/* Follows a path of bucket names from the root: bb_path(db, &b, e, "v1", "k8s.io", NULL). */
int bb_path(const bb_db *db, bb_bucket *out, de_err *e, ...);

#endif

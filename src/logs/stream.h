/*
 * stream.h — a buffered byte stream over one evidence file, plain or gzip,
 * with the byte offset of every position, for the log readers. Internal to
 * logs/.
 *
 * The file is read through its evidence descriptor (evh.h: a tree's kernel
 * fd or a file inside a disk image) and inflated here, as zlib's gzread
 * would: a file that does not start with gzip's magic 1f 8b is read as it
 * is; gzip members follow one another (rotated logs compressed by Docker are
 * one member); bytes after the last member that are not another member are
 * ignored. A gzip file cut short is an error ("unexpected end of file"),
 * after every byte that could be inflated (gzread ended there in silence);
 * on an inflate error the bytes of that read are dropped, as gzread did.
 */
#ifndef DE_LOGS_STREAM_H
#define DE_LOGS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

typedef struct bstream {
	int fd;                   /* the evidence descriptor (evh.h) */
	z_stream z;               /* next_in/avail_in: the unread input */
	unsigned char *in;        /* the input buffer */
	int mode;                 /* looking for a member, copying, inflating */
	bool had_gzip, in_eof, bad, cut;
	char *buf;
	size_t cap, start, end;   /* valid bytes are buf[start..end) */
	uint64_t base;            /* offset (in the uncompressed stream) of buf[0] */
	bool eof, error;
	const char *errmsg;
} bstream;

int bs_open(bstream *s, int fd);           /* takes fd (not when it fails) */
void bs_close(bstream *s);
/* Makes at least n bytes available from the current position (fewer at the
 * end of the stream); returns how many are. Grows the buffer up to max. */
size_t bs_ensure(bstream *s, size_t n, size_t max);
static inline const char *bs_ptr(const bstream *s) { return s->buf + s->start; }
static inline size_t bs_avail(const bstream *s) { return s->end - s->start; }
static inline uint64_t bs_offset(const bstream *s) { return s->base + s->start; }
static inline void bs_skip(bstream *s, size_t n) { s->start += n; }

#endif

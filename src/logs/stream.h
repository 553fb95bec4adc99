/*
 * stream.h — a buffered byte stream over one evidence file, plain or gzip
 * (zlib reads both), with the byte offset of every position, for the log
 * readers. Internal to logs/.
 */
#ifndef DE_LOGS_STREAM_H
#define DE_LOGS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

typedef struct bstream {
	gzFile gz;
	char *buf;
	size_t cap, start, end;   /* valid bytes are buf[start..end) */
	uint64_t base;            /* offset (in the uncompressed stream) of buf[0] */
	bool eof, error;
	const char *errmsg;
} bstream;

int bs_open(bstream *s, int fd);           /* takes fd */
void bs_close(bstream *s);
/* Makes at least n bytes available from the current position (fewer at the
 * end of the stream); returns how many are. Grows the buffer up to max. */
size_t bs_ensure(bstream *s, size_t n, size_t max);
static inline const char *bs_ptr(const bstream *s) { return s->buf + s->start; }
static inline size_t bs_avail(const bstream *s) { return s->end - s->start; }
static inline uint64_t bs_offset(const bstream *s) { return s->base + s->start; }
static inline void bs_skip(bstream *s, size_t n) { s->start += n; }

#endif

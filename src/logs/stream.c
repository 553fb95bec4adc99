#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/evh.h"
#include "../util/strvec.h"

#define BS_CHUNK (1u << 20)
#define BS_IN    (256u << 10)   /* input read at once */

enum { BS_LOOK, BS_COPY, BS_GZIP };

int bs_open(bstream *s, int fd)
{
	memset(s, 0, sizeof *s);
	/* 16 + MAX_WBITS: a gzip wrapper, as gzread expects */
	if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	s->fd = fd;
	s->mode = BS_LOOK;
	s->in = xmalloc(BS_IN);
	s->z.next_in = s->in;
	s->cap = BS_CHUNK;
	s->buf = xmalloc(s->cap);
	return 0;
}

void bs_close(bstream *s)
{
	if (s->in) {
		inflateEnd(&s->z);
		evh_close(s->fd);
	}
	free(s->in);
	free(s->buf);
	memset(s, 0, sizeof *s);
}

static int fail(bstream *s, const char *msg)
{
	s->bad = true;
	s->errmsg = msg;
	return -1;
}

/* Moves the unread input to the front and reads more after it: 0, or -1 on
 * a read error. in_eof once the file gave everything. */
static int load(bstream *s)
{
	if (s->z.avail_in && s->z.next_in != s->in)
		memmove(s->in, s->z.next_in, s->z.avail_in);
	s->z.next_in = s->in;
	while (!s->in_eof && s->z.avail_in < BS_IN) {
		ssize_t n = evh_read(s->fd, s->in + s->z.avail_in, BS_IN - s->z.avail_in);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(s, strerror(errno));
		if (n == 0)
			s->in_eof = true;
		s->z.avail_in += (uInt)n;
		break;
	}
	return 0;
}

/* Some bytes (up to want) of the uncompressed stream into dst: how many, 0
 * at its end, -1 on an error (errmsg). */
static ssize_t produce1(bstream *s, char *dst, size_t want)
{
	if (s->bad)
		return -1;
	for (;;) {
		if (s->mode == BS_LOOK) {
			while (s->z.avail_in < 2 && !s->in_eof)
				if (load(s) < 0)
					return -1;
			if (s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b) {
				if (inflateReset(&s->z) != Z_OK)
					return fail(s, "internal error: inflate stream corrupt");
				s->mode = BS_GZIP;
				s->had_gzip = true;
			} else if (s->had_gzip || s->z.avail_in == 0) {
				/* the end, or bytes after a gzip member that are no
				 * member: ignored (as gzread does) */
				s->z.avail_in = 0;
				s->in_eof = true;
				return 0;
			} else {
				s->mode = BS_COPY;
			}
			continue;
		}
		if (s->mode == BS_COPY) {
			if (s->z.avail_in) {
				size_t n = s->z.avail_in < want ? s->z.avail_in : want;
				memcpy(dst, s->z.next_in, n);
				s->z.next_in += n;
				s->z.avail_in -= (uInt)n;
				return (ssize_t)n;
			}
			if (s->in_eof)
				return 0;
			ssize_t n;
			do
				n = evh_read(s->fd, dst, want);
			while (n < 0 && errno == EINTR);
			if (n < 0)
				return fail(s, strerror(errno));
			if (n == 0)
				s->in_eof = true;
			return n;
		}
		if (s->z.avail_in == 0) {
			if (load(s) < 0)
				return -1;
			if (s->z.avail_in == 0) {
				s->cut = true;
				return fail(s, "unexpected end of file");
			}
		}
		s->z.next_out = (unsigned char *)dst;
		s->z.avail_out = want > (1u << 30) ? 1u << 30 : (uInt)want;
		uInt asked = s->z.avail_out;
		int ret = inflate(&s->z, Z_NO_FLUSH);
		size_t got = asked - s->z.avail_out;
		if (ret == Z_STREAM_END)
			s->mode = BS_LOOK;
		else if (ret == Z_DATA_ERROR)
			fail(s, s->z.msg ? s->z.msg : "compressed data error");
		else if (ret == Z_NEED_DICT || ret == Z_STREAM_ERROR)
			fail(s, "internal error: inflate stream corrupt");
		else if (ret == Z_MEM_ERROR)
			fail(s, "out of memory");
		if (s->bad)
			return -1;
		if (got)
			return (ssize_t)got;
	}
}

/* want bytes into dst (fewer at the end): as gzread, what an inflate error
 * met on the way spoiled is not given (the error is), while a member cut
 * short gives what it held, and the error at the next call. */
static ssize_t produce(bstream *s, char *dst, size_t want)
{
	size_t got = 0;
	while (got < want) {
		ssize_t n = produce1(s, dst + got, want - got);
		if (n < 0)
			return s->cut && got ? (ssize_t)got : -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

size_t bs_ensure(bstream *s, size_t n, size_t max)
{
	while (bs_avail(s) < n && !s->eof && !s->error) {
		if (s->start > 0) {   /* keep the unread bytes at the front */
			memmove(s->buf, s->buf + s->start, bs_avail(s));
			s->base += s->start;
			s->end -= s->start;
			s->start = 0;
		}
		if (s->end == s->cap) {
			if (s->cap >= max)
				break;
			s->cap = s->cap * 2 > max ? max : s->cap * 2;
			s->buf = xrealloc(s->buf, s->cap);
		}
		size_t want = s->cap - s->end;
		if (want > BS_CHUNK * 4)
			want = BS_CHUNK * 4;
		ssize_t got = produce(s, s->buf + s->end, want);
		if (got < 0)
			s->error = true;
		else if (got == 0)
			s->eof = true;
		else
			s->end += (size_t)got;
	}
	return bs_avail(s) < n ? bs_avail(s) : n;
}

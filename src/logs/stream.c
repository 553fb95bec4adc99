#include "stream.h"

#include <stdlib.h>
#include <string.h>

#include "../util/strvec.h"

#define BS_CHUNK (1u << 20)

int bs_open(bstream *s, int fd)
{
	memset(s, 0, sizeof *s);
	s->gz = gzdopen(fd, "rb");
	if (!s->gz)
		return -1;
	gzbuffer(s->gz, 256 * 1024);
	s->cap = BS_CHUNK;
	s->buf = xmalloc(s->cap);
	return 0;
}

void bs_close(bstream *s)
{
	if (s->gz)
		gzclose(s->gz);
	free(s->buf);
	memset(s, 0, sizeof *s);
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
		int got = gzread(s->gz, s->buf + s->end, (unsigned)want);
		if (got < 0) {
			int errnum;
			s->errmsg = gzerror(s->gz, &errnum);
			s->error = true;
		} else if (got == 0) {
			s->eof = true;
		} else {
			s->end += (size_t)got;
		}
	}
	return bs_avail(s) < n ? bs_avail(s) : n;
}

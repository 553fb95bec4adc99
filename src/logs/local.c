/*
 * local.c — the local driver's records: a protobuf LogEntry (Docker's
 * api/types/plugins/logdriver/entry.proto):
 *   1 source (string)  2 time_nano (int64)  3 line (bytes)  4 partial (bool)
 *   5 partial_log_metadata {1 last (bool), 2 id (string), 3 ordinal (int32)}
 *   6 attrs (repeated {1 key, 2 value})
 * decoded by tag: proto3 leaves out fields at their default, and unknown
 * fields are skipped by wire type. Every length is checked against what is
 * left. A line has no newline of its own: a complete message gets one.
 */
#include "parse.h"

#include <string.h>

static int varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t r = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*p == end)
			return -1;
		unsigned char c = *(*p)++;
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

/* Skips a field of the given wire type; -1 when it does not fit. */
static int skip(const unsigned char **p, const unsigned char *end, unsigned wire)
{
	uint64_t v;
	switch (wire) {
	case 0: return varint(p, end, &v);
	case 1: if (end - *p < 8) return -1; *p += 8; return 0;
	case 5: if (end - *p < 4) return -1; *p += 4; return 0;
	case 2:
		if (varint(p, end, &v) < 0 || v > (uint64_t)(end - *p))
			return -1;
		*p += v;
		return 0;
	default: return -1;
	}
}

/* partial_log_metadata: only "last" matters for joining. */
static int parse_meta(const unsigned char *p, const unsigned char *end, bool *last)
{
	while (p < end) {
		uint64_t key, v;
		if (varint(&p, end, &key) < 0)
			return -1;
		if (key >> 3 == 1 && (key & 7) == 0) {
			if (varint(&p, end, &v) < 0)
				return -1;
			*last = v != 0;
		} else if (skip(&p, end, key & 7) < 0) {
			return -1;
		}
	}
	return 0;
}

int parse_local_entry(const unsigned char *p, size_t len, log_rec *r, const char **why)
{
	const unsigned char *end = p + len;
	bool partial = false, has_meta = false, last = false;
	uint64_t tnano = 0;
	r->data.len = 0;
	r->stream[0] = '\0';
	*why = "malformed protobuf LogEntry";
	while (p < end) {
		uint64_t key, v;
		if (varint(&p, end, &key) < 0)
			return -1;
		unsigned field = (unsigned)(key >> 3), wire = key & 7;
		if ((field == 1 || field == 3 || field == 5) && wire == 2) {
			if (varint(&p, end, &v) < 0 || v > (uint64_t)(end - p))
				return -1;
			if (field == 1) {
				size_t n = v < sizeof r->stream - 1 ? (size_t)v : sizeof r->stream - 1;
				memcpy(r->stream, p, n);
				r->stream[n] = '\0';
			} else if (field == 3) {
				db_add(&r->data, p, (size_t)v);
			} else {
				has_meta = true;
				if (parse_meta(p, p + v, &last) < 0)
					return -1;
			}
			p += v;
		} else if ((field == 2 || field == 4) && wire == 0) {
			if (varint(&p, end, &v) < 0)
				return -1;
			if (field == 2)
				tnano = v;
			else
				partial = v != 0;
		} else if (skip(&p, end, wire) < 0) {
			return -1;
		}
	}
	int64_t t = (int64_t)tnano;
	r->sec = t >= 0 ? t / 1000000000 : -((-t + 999999999) / 1000000000);
	r->nsec = (int32_t)(t - r->sec * 1000000000);
	/* A split message: every part says partial; the last one says so in
	 * its metadata. */
	r->partial = partial && !(has_meta && last);
	r->newline = !r->partial;
	if (r->newline)
		db_add(&r->data, "\n", 1);
	return 0;
}

/*
 * timefmt.h — the timestamps of Docker's files.
 *
 * Docker writes Go's time.Time as RFC 3339 with 0 to 9 fractional digits
 * and "Z" (or a numeric offset); a time never set is 0001-01-01T00:00:00Z.
 * de.py printed them through Python's datetime.isoformat(): fraction cut
 * (not rounded) to microseconds and left out when zero, the offset written
 * "+00:00". We keep that form for compatibility.
 */
#ifndef DE_TIMEFMT_H
#define DE_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct de_time {
	int year, mon, day, hour, min, sec;
	int32_t nsec;
	int off_min;       /* offset east of UTC, minutes */
	int64_t epoch;     /* seconds since 1970-01-01 UTC (negative before) */
} de_time;

/* 0 on success; -1 when s is not RFC 3339. */
int de_time_parse(const char *s, de_time *t);
/* A time given on the command line: RFC 3339, or Unix seconds with up to
 * nine decimals (1795870670.5; -1.5 is before the epoch), as docker logs
 * --since takes them. 0, or -1 when s is neither. */
int de_time_parse_arg(const char *s, de_time *t);
/* True for Go's zero time (year 1, Jan 1, 00:00:00 UTC). */
bool de_time_is_zero(const de_time *t);
/* "2018-05-16T10:51:39.625989+00:00" (de.py's form). buf >= 40 bytes. */
void de_time_iso(const de_time *t, char *buf, unsigned len);
/* Orders by instant. */
int de_time_cmp(const de_time *a, const de_time *b);
/* Go's time.Time MarshalBinary form, as containerd stores times in its
 * bolt databases: version 1, seconds since year 1 (int64 BE), nanoseconds
 * (int32 BE), zone offset in minutes (int16 BE; -1 = UTC). -1 if not that. */
int de_time_from_go(const unsigned char *p, size_t n, de_time *t);
/* From Unix seconds and nanoseconds, UTC. */
void de_time_from_unix(int64_t sec, int32_t nsec, de_time *t);
/* "2026-11-28T16:10:55.123456789Z" (UTC, always nine digits). */
void de_time_ns(int64_t sec, long nsec, char *out, unsigned len);

#endif

/*
 * timefmt.c — see timefmt.h. Calendar arithmetic by Howard Hinnant's
 * days-from-civil formulas (proleptic Gregorian), which hold for year 1.
 */
#include "timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

int de_time_parse(const char *s, de_time *t)
{
	const char *p = s;
	memset(t, 0, sizeof *t);
	if (!s || digits(&p, 4, &t->year) || *p++ != '-' || digits(&p, 2, &t->mon) ||
	    *p++ != '-' || digits(&p, 2, &t->day) || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &t->hour) || *p++ != ':' || digits(&p, 2, &t->min) ||
	    *p++ != ':' || digits(&p, 2, &t->sec))
		return -1;
	if (t->mon < 1 || t->mon > 12 || t->day < 1 ||
	    t->day > days_in_month(t->year, t->mon) || t->hour > 23 || t->min > 59 ||
	    t->sec > 60)
		return -1;
	if (*p == '.') {
		int n = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (n < 9)
				t->nsec = t->nsec * 10 + (*p - '0');
			n++;
			p++;
		}
		if (n == 0)
			return -1;
		for (int i = n; i < 9; i++)
			t->nsec *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
			return -1;
		t->off_min = sign * (oh * 60 + om);
	} else {
		return -1;
	}
	if (*p)
		return -1;
	t->epoch = days_from_civil(t->year, t->mon, t->day) * 86400 + t->hour * 3600 +
	           t->min * 60 + t->sec - (int64_t)t->off_min * 60;
	return 0;
}

bool de_time_is_zero(const de_time *t)
{
	return t->year == 1 && t->mon == 1 && t->day == 1 && !t->hour && !t->min &&
	       !t->sec && !t->nsec && !t->off_min;
}

void de_time_iso(const de_time *t, char *buf, unsigned len)
{
	char frac[16] = "", off[8];
	int us = t->nsec / 1000;    /* cut, as Python's fromisoformat does */
	if (us)
		snprintf(frac, sizeof frac, ".%06d", us);
	int a = t->off_min < 0 ? -t->off_min : t->off_min;
	snprintf(off, sizeof off, "%c%02d:%02d", t->off_min < 0 ? '-' : '+', a / 60 % 100, a % 60);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", t->year % 10000, t->mon, t->day,
	         t->hour, t->min, t->sec, frac, off);
}

int de_time_cmp(const de_time *a, const de_time *b)
{
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

void de_time_from_unix(int64_t sec, int32_t nsec, de_time *t)
{
	memset(t, 0, sizeof *t);
	int64_t days = sec / 86400, rem = sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &t->year, &t->mon, &t->day);
	t->hour = (int)(rem / 3600);
	t->min = (int)(rem / 60 % 60);
	t->sec = (int)(rem % 60);
	t->nsec = nsec;
	t->epoch = sec;
}

int de_time_from_go(const unsigned char *p, size_t n, de_time *t)
{
	if (n != 15 || p[0] != 1)
		return -1;
	uint64_t sec = 0;
	for (int i = 1; i <= 8; i++)
		sec = sec << 8 | p[i];
	uint32_t nsec = (uint32_t)p[9] << 24 | (uint32_t)p[10] << 16 | (uint32_t)p[11] << 8 | p[12];
	if (nsec >= 1000000000u || sec > (uint64_t)INT64_MAX)
		return -1;
	/* 62135596800 s from 0001-01-01 to 1970-01-01 */
	de_time_from_unix((int64_t)sec - 62135596800LL, (int32_t)nsec, t);
	return 0;
}

void de_time_ns(int64_t sec, long nsec, char *out, unsigned len)
{
	de_time t;
	de_time_from_unix(sec, (int32_t)nsec, &t);
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", t.year, t.mon, t.day, t.hour,
	         t.min, t.sec, (int)t.nsec);
}

int de_time_parse_arg(const char *s, de_time *t)
{
	const char *p = s + (*s == '-');
	size_t ip = strspn(p, "0123456789"), fp = p[ip] == '.' ? strspn(p + ip + 1, "0123456789") : 0;
	bool frac = p[ip] == '.';
	if (ip == 0 || ip > 18 || (frac && (fp == 0 || fp > 9)) || p[ip + frac + fp] != '\0')
		return de_time_parse(s, t);
	int64_t sec = strtoll(p, NULL, 10);
	int32_t nsec = 0;
	for (size_t i = 0; i < 9; i++)
		nsec = nsec * 10 + (i < fp ? p[ip + 1 + i] - '0' : 0);
	if (*s == '-') {   /* -1.5 is 1.5 s before the epoch: -2 s + 0.5 s */
		sec = -sec - (nsec > 0);
		nsec = nsec ? 1000000000 - nsec : 0;
	}
	de_time_from_unix(sec, nsec, t);
	return 0;
}

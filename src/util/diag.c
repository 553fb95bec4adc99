/*
 * diag.c — see diag.h. Warnings are kept in a bounded list: a hostile data
 * root with a million broken containers must not grow memory without end,
 * but the count stays exact.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DE_OMISSIONS_KEPT 1000

int de_debug_on;

static char *kept[DE_OMISSIONS_KEPT];
static size_t nkept, ncount;

static void vset(de_err *e, const char *fmt, va_list ap)
{
	if (e)
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int de_fail(de_err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	return -1;
}

int de_fail_errno(de_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	size_t n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(errnum));
	return -1;
}

int de_fail_wrap(de_err *e, const char *fmt, ...)
{
	char ctx[DE_ERR_MAX], old[DE_ERR_MAX];
	va_list ap;
	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof ctx, fmt, ap);
	va_end(ap);
	/* Messages are cut at DE_ERR_MAX: the start (context, path) matters most. */
	memcpy(old, e->msg, sizeof old);
	size_t n = strnlen(ctx, sizeof ctx - 3);
	memcpy(e->msg, ctx, n);
	memcpy(e->msg + n, ": ", 2);
	n += 2;
	size_t m = strnlen(old, sizeof e->msg - n - 1);
	memcpy(e->msg + n, old, m);
	e->msg[n + m] = '\0';
	return -1;
}

static _Thread_local de_diag_capture *capture;

void de_diag_capture_start(de_diag_capture *c)
{
	capture = c;
}

void de_diag_capture_stop(void)
{
	capture = NULL;
}

/* Holds "<kind><text>"; false when nothing captures (then print). */
static int hold(char kind, const char *text)
{
	if (!capture)
		return 0;
	size_t n = strlen(text);
	char *m = malloc(n + 2);
	char **v = realloc(capture->msg, (capture->n + 1) * sizeof *v);
	if (!m || !v) {
		free(m);
		if (v)
			capture->msg = v;
		return 0;   /* out of memory: printed at once rather than lost */
	}
	m[0] = kind;
	memcpy(m + 1, text, n + 1);
	capture->msg = v;
	capture->msg[capture->n++] = m;
	return 1;
}

void de_diag_capture_replay(de_diag_capture *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->msg[i][0] == 'W')
			de_warn("%s", c->msg[i] + 1);
		else
			de_note("%s", c->msg[i] + 1);
		free(c->msg[i]);
	}
	free(c->msg);
	c->msg = NULL;
	c->n = 0;
}

void de_diag_capture_drop(de_diag_capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->msg[i]);
	free(c->msg);
	c->msg = NULL;
	c->n = 0;
}

void de_warn(const char *fmt, ...)
{
	char buf[DE_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (hold('W', buf))
		return;
	fprintf(stderr, "de: warning: %s\n", buf);
	ncount++;
	if (nkept < DE_OMISSIONS_KEPT) {
		char *copy = strdup(buf);
		if (copy)
			kept[nkept++] = copy;
	}
}

void de_warn_err(const de_err *e)
{
	de_warn("%s", e->msg);
}

void de_note(const char *fmt, ...)
{
	va_list ap;
	if (capture) {
		char buf[DE_ERR_MAX];
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		if (hold('N', buf))
			return;
	}
	fputs("de: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

size_t de_omission_count(void) { return ncount; }
size_t de_omission_kept(void) { return nkept; }
const char *de_omission_msg(size_t i) { return i < nkept ? kept[i] : NULL; }

void de_omissions_reset(void)
{
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	nkept = ncount = 0;
}

void de_debug(const char *fmt, ...)
{
	va_list ap;
	if (!de_debug_on)
		return;
	fputs("de: debug: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

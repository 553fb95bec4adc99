/*
 * img_qcow.c — qcow and qcow2 images through libyal's libqcow (Debian's
 * libqcow-dev): cluster tables, compressed clusters and snapshots are the
 * library's. An image that needs more than its own file (a backing file:
 * the bytes it does not hold are the backing image's) or a key (encrypted)
 * is refused with the reason, rather than read with zeros for the missing
 * clusters: `qemu-img convert` makes a self-contained copy.
 *
 * libqcow is loaded with dlopen() when a qcow image is first opened, as
 * libtsk is (img_tsk.c): de runs without it, and loads nothing it does not
 * need for the evidence at hand.
 */
#include "bsrc.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libqcow.h>

#include "../util/strvec.h"
#include "../util/dynlib.h"

/* The libqcow functions de calls, from Debian's libqcow1 (its SONAME). */
static struct {
	int (*file_initialize)(libqcow_file_t **, libqcow_error_t **);
	int (*file_open)(libqcow_file_t *, const char *, int, libqcow_error_t **);
	int (*file_close)(libqcow_file_t *, libqcow_error_t **);
	int (*file_free)(libqcow_file_t **, libqcow_error_t **);
	int (*file_get_media_size)(libqcow_file_t *, size64_t *, libqcow_error_t **);
	int (*file_get_utf8_backing_filename_size)(libqcow_file_t *, size_t *, libqcow_error_t **);
	int (*file_get_encryption_method)(libqcow_file_t *, uint32_t *, libqcow_error_t **);
	ssize_t (*file_read_buffer_at_offset)(libqcow_file_t *, void *, size_t, off64_t, libqcow_error_t **);
	int (*error_sprint)(libqcow_error_t *, char *, size_t);
	void (*error_free)(libqcow_error_t **);
} Q;

static int load_qcow(de_err *e)
{
	static int state;   /* 0 not tried, 1 loaded, -1 failed */
	static char why[256];
	if (state == 0) {
		state = -1;
		static const de_dynsym syms[] = {
#define SYM(f) {offsetof(__typeof__(Q), f), "libqcow_" #f}
			SYM(file_initialize), SYM(file_open), SYM(file_close), SYM(file_free),
			SYM(file_get_media_size), SYM(file_get_utf8_backing_filename_size),
			SYM(file_get_encryption_method), SYM(file_read_buffer_at_offset),
			SYM(error_sprint), SYM(error_free),
#undef SYM
		};
		bool loaded = de_dynlib_load("libqcow.so.1", &Q, syms, sizeof syms / sizeof *syms, why,
		                        sizeof why) == 0;
		if (loaded)
			state = 1;
	}
	if (state < 0)
		return de_fail(e, "libqcow could not be loaded (%s): install Debian's libqcow1 to read "
		               "qcow2 images", why);
	return 0;
}

typedef struct qcow_src {
	bsrc b;
	libqcow_file_t *f;
} qcow_src;

/* libqcow's error as our message; frees it. */
static int qfail(de_err *e, libqcow_error_t **qe, const char *path, const char *what)
{
	char why[512] = "";
	if (qe && *qe) {
		Q.error_sprint(*qe, why, sizeof why);
		Q.error_free(qe);
	}
	/* libyal chains messages with newlines: keep one line */
	for (char *p = why; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return de_fail(e, "%s: %s%s%s", path, what, *why ? ": " : "", why);
}

static int qcow_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	qcow_src *q = (qcow_src *)s;
	uint8_t *p = buf;
	while (len) {
		libqcow_error_t *qe = NULL;
		ssize_t n = Q.file_read_buffer_at_offset(q->f, p, len, (off64_t)off, &qe);
		if (n <= 0) {
			char what[64];
			snprintf(what, sizeof what, "read at %llu", (unsigned long long)off);
			return qfail(e, &qe, s->name, what);
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void qcow_close(bsrc *s)
{
	qcow_src *q = (qcow_src *)s;
	Q.file_close(q->f, NULL);
	Q.file_free(&q->f, NULL);
	free(s->name);
	free(s);
}

static const bsrc_ops qcow_ops = {qcow_read, qcow_close};

bsrc *bsrc_open_qcow(const char *path, de_err *e)
{
	if (load_qcow(e) < 0)
		return NULL;
	libqcow_file_t *f = NULL;
	libqcow_error_t *qe = NULL;
	if (Q.file_initialize(&f, &qe) != 1)
		return qfail(e, &qe, path, "libqcow"), NULL;
	if (Q.file_open(f, path, LIBQCOW_OPEN_READ, &qe) != 1) {
		qfail(e, &qe, path, "cannot open the qcow image");
		Q.file_free(&f, NULL);
		return NULL;
	}
	size64_t size = 0;
	size_t blen = 0;
	uint32_t method = 0;
	const char *why = NULL;
	if (Q.file_get_media_size(f, &size, &qe) != 1)
		why = "no media size";
	else if (Q.file_get_utf8_backing_filename_size(f, &blen, &qe) == 1 && blen > 1)
		why = "has a backing file, whose bytes it does not hold: give a flattened copy "
		      "(qemu-img convert -O qcow2 IMAGE FLAT)";
	else if (Q.file_get_encryption_method(f, &method, &qe) == 1 &&
	         method != LIBQCOW_ENCRYPTION_METHOD_NONE)
		why = "encrypted: decrypt it first";
	else if (size == 0)
		why = "holds no data";
	if (why) {
		qfail(e, &qe, path, why);
		Q.file_close(f, NULL);
		Q.file_free(&f, NULL);
		return NULL;
	}
	Q.error_free(&qe);
	qcow_src *q = xcalloc(1, sizeof *q);
	q->b.ops = &qcow_ops;
	q->b.size = size;
	q->b.name = strdup(path);
	if (!q->b.name)
		abort();
	q->b.format = "qcow2";
	q->b.sector = 512;
	q->f = f;
	return &q->b;
}

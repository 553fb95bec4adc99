/*
 * img_qcow.c — qcow and qcow2 images through libyal's libqcow (Debian's
 * libqcow-dev): cluster tables, compressed clusters and snapshots are the
 * library's. An image that needs more than its own file (a backing file:
 * the bytes it does not hold are the backing image's) or a key (encrypted)
 * is refused with the reason, rather than read with zeros for the missing
 * clusters: `qemu-img convert` makes a self-contained copy.
 */
#include "bsrc.h"

#include <stdlib.h>
#include <string.h>

#include <libqcow.h>

#include "../util/strvec.h"

typedef struct qcow_src {
	bsrc b;
	libqcow_file_t *f;
} qcow_src;

/* libqcow's error as our message; frees it. */
static int qfail(de_err *e, libqcow_error_t **qe, const char *path, const char *what)
{
	char why[512] = "";
	if (qe && *qe) {
		libqcow_error_sprint(*qe, why, sizeof why);
		libqcow_error_free(qe);
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
		ssize_t n = libqcow_file_read_buffer_at_offset(q->f, p, len, (off64_t)off, &qe);
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
	libqcow_file_close(q->f, NULL);
	libqcow_file_free(&q->f, NULL);
	free(s->name);
	free(s);
}

static const bsrc_ops qcow_ops = {qcow_read, qcow_close};

bsrc *bsrc_open_qcow(const char *path, de_err *e)
{
	libqcow_file_t *f = NULL;
	libqcow_error_t *qe = NULL;
	if (libqcow_file_initialize(&f, &qe) != 1)
		return qfail(e, &qe, path, "libqcow"), NULL;
	if (libqcow_file_open(f, path, LIBQCOW_OPEN_READ, &qe) != 1) {
		qfail(e, &qe, path, "cannot open the qcow image");
		libqcow_file_free(&f, NULL);
		return NULL;
	}
	size64_t size = 0;
	size_t blen = 0;
	uint32_t method = 0;
	const char *why = NULL;
	if (libqcow_file_get_media_size(f, &size, &qe) != 1)
		why = "no media size";
	else if (libqcow_file_get_utf8_backing_filename_size(f, &blen, &qe) == 1 && blen > 1)
		why = "has a backing file, whose bytes it does not hold: give a flattened copy "
		      "(qemu-img convert -O qcow2 IMAGE FLAT)";
	else if (libqcow_file_get_encryption_method(f, &method, &qe) == 1 &&
	         method != LIBQCOW_ENCRYPTION_METHOD_NONE)
		why = "encrypted: decrypt it first";
	else if (size == 0)
		why = "holds no data";
	if (why) {
		qfail(e, &qe, path, why);
		libqcow_file_close(f, NULL);
		libqcow_file_free(&f, NULL);
		return NULL;
	}
	libqcow_error_free(&qe);
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

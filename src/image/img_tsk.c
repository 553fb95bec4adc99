/*
 * img_tsk.c — EWF (E01/Ex01, every segment found from the first), VMDK,
 * VHD and VHDX through The Sleuth Kit's image layer (Debian's libtsk 4.11,
 * built with libewf, libvmdk and libvhdi).
 *
 * Why the library here: these container formats (compressed chunk tables,
 * grain directories, block allocation tables, segment naming) are exactly
 * what TSK and libyal already read and test against real acquisitions,
 * and none of them is needed to judge a container's view: only their
 * decoded bytes are. Raw images are read by bsrc.c (pread, no copy
 * through TSK's cache); qcow2 by img_qcow.c (TSK 4.11 takes a qcow2 file
 * for a raw image: measured here, img_stat says "raw").
 *
 * TSK opens the files itself, read-only; its cache is fixed (32 × 64 KiB
 * per image). The format TSK found must be the one we detected: anything
 * else (TSK falling back to raw) is an error, never a silent misreading.
 */
#include "bsrc.h"

#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <tsk/base/tsk_base.h>
#include <tsk/img/tsk_img.h>
#pragma GCC diagnostic pop

#include "../util/strvec.h"

typedef struct tsk_src {
	bsrc b;
	TSK_IMG_INFO *img;
} tsk_src;

static int tsk_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	tsk_src *t = (tsk_src *)s;
	uint8_t *p = buf;
	while (len) {
		/* TSK reads in pieces of at most its cache size; loop. */
		tsk_error_reset();
		ssize_t n = tsk_img_read(t->img, (TSK_OFF_T)off, (char *)p, len);
		if (n <= 0) {
			const char *why = tsk_error_get();
			return de_fail(e, "%s: read at %llu: %s", s->name, (unsigned long long)off,
			               why && *why ? why : "no bytes");
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void tsk_close(bsrc *s)
{
	tsk_img_close(((tsk_src *)s)->img);
	free(s->name);
	free(s);
}

static const bsrc_ops tsk_ops = {tsk_read, tsk_close};

/* TSK's name of a format we hand it (tsk_img_type_toname). */
static bool tsk_type_is(TSK_IMG_TYPE_ENUM t, const char *format)
{
	if (strcmp(format, "ewf") == 0)
		return TSK_IMG_TYPE_ISEWF(t);
	if (strcmp(format, "vmdk") == 0)
		return t == TSK_IMG_TYPE_VMDK_VMDK;
	return t == TSK_IMG_TYPE_VHD_VHD;   /* libvhdi reads both VHD and VHDX */
}

bsrc *bsrc_open_tsk(const char *path, const char *format, de_err *e)
{
	tsk_error_reset();
	TSK_IMG_INFO *img = tsk_img_open_utf8_sing(path, TSK_IMG_TYPE_DETECT, 0);
	if (!img) {
		const char *why = tsk_error_get();
		de_fail(e, "%s: cannot open the %s image: %s", path, format,
		        why && *why ? why : "libtsk gave no reason");
		tsk_error_reset();
		return NULL;
	}
	if (!tsk_type_is(img->itype, format)) {
		de_fail(e, "%s: looks like %s, but libtsk reads it as %s", path, format,
		        tsk_img_type_toname(img->itype));
		tsk_img_close(img);
		return NULL;
	}
	if (img->size <= 0) {
		de_fail(e, "%s: the %s image holds no data", path, format);
		tsk_img_close(img);
		return NULL;
	}
	tsk_src *t = xcalloc(1, sizeof *t);
	t->b.ops = &tsk_ops;
	t->b.size = (uint64_t)img->size;
	t->b.name = strdup(path);
	if (!t->b.name)
		abort();
	t->b.format = format;
	t->b.sector = img->sector_size ? img->sector_size : 512;
	t->img = img;
	return &t->b;
}

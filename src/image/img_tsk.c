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
 *
 * libtsk is loaded with dlopen() when such an image is first opened, not
 * linked: it brings libafflib, and with it libcurl and GnuTLS, whose
 * constructor reads /etc/gnutls/config in every run of de (see
 * registry/http.c) — a file outside the evidence, for every command.
 */
#include "bsrc.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <tsk/base/tsk_base.h>
#include <tsk/img/tsk_img.h>
#pragma GCC diagnostic pop

#include "../util/strvec.h"
#include "../util/dynlib.h"

/* The libtsk functions de calls, from Debian's libtsk19 (its SONAME). */
static struct {
	TSK_IMG_INFO *(*img_open_utf8_sing)(const char *, TSK_IMG_TYPE_ENUM, unsigned int);
	ssize_t (*img_read)(TSK_IMG_INFO *, TSK_OFF_T, char *, size_t);
	void (*img_close)(TSK_IMG_INFO *);
	const char *(*error_get)(void);
	void (*error_reset)(void);
	const char *(*img_type_toname)(TSK_IMG_TYPE_ENUM);
} T;

static int load_tsk(de_err *e)
{
	static int state;   /* 0 not tried, 1 loaded, -1 failed */
	static char why[256];
	if (state == 0) {
		state = -1;
		static const de_dynsym syms[] = {
#define SYM(f) {offsetof(__typeof__(T), f), "tsk_" #f}
			SYM(img_open_utf8_sing), SYM(img_read), SYM(img_close), SYM(error_get),
			SYM(error_reset), SYM(img_type_toname),
#undef SYM
		};
		bool loaded = de_dynlib_load("libtsk.so.19", &T, syms, sizeof syms / sizeof *syms, why,
		                        sizeof why) == 0;
		if (loaded)
			state = 1;
	}
	if (state < 0)
		return de_fail(e, "libtsk could not be loaded (%s): install Debian's libtsk19 to read "
		               "E01, VMDK, VHD and VHDX images", why);
	return 0;
}

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
		T.error_reset();
		ssize_t n = T.img_read(t->img, (TSK_OFF_T)off, (char *)p, len);
		if (n <= 0) {
			const char *why = T.error_get();
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
	T.img_close(((tsk_src *)s)->img);
	free(s->name);
	free(s);
}

static const bsrc_ops tsk_ops = {tsk_read, tsk_close};

/* Whether TSK's type is the format we detected. */
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
	if (load_tsk(e) < 0)
		return NULL;
	/* The backend named, not TSK_IMG_TYPE_DETECT: detection tries every
	 * backend in turn, and those that fail leak what they allocated (seen
	 * here with LeakSanitizer: libvmdk, libvhdi, libafflib). */
	TSK_IMG_TYPE_ENUM type = strcmp(format, "ewf") == 0 ? TSK_IMG_TYPE_EWF_EWF :
	                         strcmp(format, "vmdk") == 0 ? TSK_IMG_TYPE_VMDK_VMDK : TSK_IMG_TYPE_VHD_VHD;
	T.error_reset();
	TSK_IMG_INFO *img = T.img_open_utf8_sing(path, type, 0);
	if (!img) {
		const char *why = T.error_get();
		de_fail(e, "%s: cannot open the %s image: %s", path, format,
		        why && *why ? why : "libtsk gave no reason");
		T.error_reset();
		return NULL;
	}
	if (!tsk_type_is(img->itype, format)) {
		de_fail(e, "%s: looks like %s, but libtsk reads it as %s", path, format,
		        T.img_type_toname(img->itype));
		T.img_close(img);
		return NULL;
	}
	if (img->size <= 0) {
		de_fail(e, "%s: the %s image holds no data", path, format);
		T.img_close(img);
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

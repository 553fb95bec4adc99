/*
 * bsrc.h — block sources: read-only random access to the bytes of a disk
 * image, of a partition in it, or of a logical volume spread over several.
 *
 * src/image/ is the first two layers of reading a disk image without the
 * kernel (as The Sleuth Kit layers img → vs → fs): image formats (this
 * file, img_tsk.c, img_qcow.c) and volume systems (volume.h: MBR, GPT,
 * LVM2). The file systems (src/fs/) read through a bsrc and know nothing
 * of where the bytes come from. Like src/util, this layer uses only libc,
 * the image libraries and util; nothing above is known here.
 *
 * Contract:
 *  - bsrc_read() reads exactly len bytes at off or fails with an error
 *    naming the source: a range past the end (off + len > size, overflow
 *    included) is refused before any read, and a backing file shorter than
 *    it claims (a truncated image) is an error, never zeros.
 *  - Nothing here writes: image files are opened O_RDONLY|O_NOATIME (the
 *    image libraries open their own files read-only); nothing is cached
 *    beside the image; memory per source is fixed (bsrc_cached: a fixed
 *    number of fixed-size slots; the libraries' own caches are bounded).
 *  - A derived source (bsrc_slice, bsrc_map, bsrc_cached) borrows its
 *    parent: the parent must be closed after it.
 *  - Errors are values (de_err); nothing prints.
 */
#ifndef DE_BSRC_H
#define DE_BSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

typedef struct bsrc bsrc;

typedef struct bsrc_ops {
	/* Reads len bytes at off; off + len <= size is checked by bsrc_read. */
	int (*read)(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e);
	void (*close)(bsrc *s);
} bsrc_ops;

struct bsrc {
	const bsrc_ops *ops;
	uint64_t size;       /* bytes */
	char *name;          /* for messages: the image path, "IMAGE p2", "IMAGE vg0/lv0" */
	const char *format;  /* "raw", "split raw", "ewf", "vmdk", "vhd", "vhdx", "qcow2",
	                      * "partition", "lvm", "memory", "cache" */
	unsigned sector;     /* the medium's sector size in bytes (512 unless the image says) */
};

/* Opens an image file, its format told by its first bytes (and its name
 * for split raw images): qcow2 (libqcow), EWF E01/Ex01, VMDK, VHD and VHDX
 * (libtsk), split raw (NAME.001, NAME.002 … read in order), else raw. */
bsrc *bsrc_open(const char *path, de_err *e);
/* The format bsrc_open would choose for path, without opening it for
 * reading beyond its first bytes: one of the format names above, or NULL
 * (e set) when the file cannot be read. */
const char *bsrc_detect(const char *path, de_err *e);

bsrc *bsrc_open_raw(const char *path, de_err *e);
/* first names the first segment (IMAGE.001, or .000/.01/…: any number of
 * at least two digits); the next ones are found by counting up. */
bsrc *bsrc_open_split(const char *first, de_err *e);
/* libtsk's image layer (EWF, VMDK, VHD/VHDX); format is what bsrc_detect said. */
bsrc *bsrc_open_tsk(const char *path, const char *format, de_err *e);
/* libqcow (qcow and qcow2, unencrypted, no backing file). */
bsrc *bsrc_open_qcow(const char *path, de_err *e);
/* Bytes in memory (tests, fuzzing); not copied: they must outlive it. */
bsrc *bsrc_mem(const void *data, size_t len, const char *name);

/* A contiguous range of parent: a partition. */
bsrc *bsrc_slice(bsrc *parent, uint64_t off, uint64_t len, const char *name, de_err *e);

/* A source made of extents of other sources, in logical order without
 * gaps: a logical volume. Each extent maps [lstart, lstart + len) to
 * (src, pstart). */
typedef struct bsrc_ext {
	uint64_t lstart, len;
	bsrc *src;
	uint64_t pstart;
} bsrc_ext;
bsrc *bsrc_map(const bsrc_ext *ext, size_t n, const char *name, de_err *e);

/* A read cache in front of parent: nslots slots of slot bytes (a power of
 * two), each holding one aligned slot of the parent. Reads within one slot
 * are served from the cache; larger ones go to the parent. For the file
 * systems' metadata (inodes, directory blocks, extent tree nodes). */
bsrc *bsrc_cached(bsrc *parent, size_t slot, size_t nslots, de_err *e);

int bsrc_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e);
void bsrc_close(bsrc *s);

#endif

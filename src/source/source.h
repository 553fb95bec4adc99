/*
 * source.h — where the evidence lies when it is a disk image (--image):
 * the image opened read-only (src/image: format, then MBR/GPT/LVM2
 * volumes), each ext2/3/4 or XFS volume's file system opened (src/fs), and
 * attached to evfs under the name "IMAGE@VOL:" so that every reader of
 * evidence (runtimes, drivers, union engine, FUSE, commands) reads it
 * through the same descriptors (src/util/evh.h) as a mounted tree.
 *
 * Layer: above image, fs and util; below the commands, which choose the
 * volume (discovery of runtimes is theirs).
 *
 * Contract:
 *  - Nothing is written anywhere; nothing is cached beside the image.
 *  - A volume that cannot be read as a file system (encrypted, FAT, swap,
 *    damaged) is listed with why, never silently left out.
 *  - Once an image is attached, evfs refuses every path outside it: no
 *    default path of the analyst's machine is ever read.
 */
#ifndef DE_SOURCE_H
#define DE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../fs/fs.h"
#include "../image/volume.h"
#include "../util/diag.h"
#include "../util/evh.h"

typedef struct src_fs src_fs;

/* A file system as evidence descriptors (fs_evh.c): n tells the st_dev of
 * one volume from another's. src_fs_root gives a descriptor of its root
 * named name ("IMAGE@p2"). */
src_fs *src_fs_new(de_fs *fs, unsigned n);
void src_fs_free(src_fs *s);
int src_fs_root(src_fs *s, const char *name);

typedef struct de_src_vol {
	const vol *v;         /* from the scan */
	const char *image;    /* the image file it is on (an LV: its first extent's) */
	char *name;           /* "IMAGE@p2" */
	char *root;           /* "IMAGE@p2:": the host root string for --root's place */
	const char *fs_type;  /* "ext4", "xfs", or NULL when not readable */
	char *why;            /* why it is not readable (NULL when it is) */
	bool dirty;           /* its journal/log holds changes not replayed */
	de_fs *fs;
	src_fs *s;
} de_src_vol;

typedef struct de_source {
	char *image;          /* the first image file, as given (for messages) */
	bsrc *disk;           /* its block source */
	char **images;        /* every image file given (a volume group over several) */
	bsrc **disks;
	size_t ndisks;
	vol_set vols;
	de_src_vol *v;
	size_t n;
} de_source;

/* Opens the images (several only when an LVM volume group spans disks)
 * and every readable file system in them, attached to evfs. Fails only when
 * an image itself cannot be read. */
int de_source_open(de_source *s, const char *const *images, size_t n, de_err *e);
void de_source_close(de_source *s);
/* The volume named by a partition number or a name ("2", "p2",
 * "vg0/root", "disk", or "IMAGE@p2" when several images are given); NULL
 * when none, or when the name fits volumes of two images. */
de_src_vol *de_source_find(de_source *s, const char *which);
/* How to name a volume to the analyst: "p2", or "IMAGE@p2" when several
 * images are given. */
const char *de_source_vol_name(const de_source *s, const de_src_vol *sv);

#endif

/*
 * fuzz_img.h — for the disk-image fuzz targets (fuzz_ext4, fuzz_xfs,
 * fuzz_volumes): an input describes a sparse disk image, zeros but for the
 * sectors it carries, so that a real file system or partitioned disk of
 * many MiB fits in a fuzz input of a few hundred KiB:
 *
 *   le32 size       the image's size in 512-byte sectors (at most 1 GiB)
 *   then records    le32 sector number, 512 bytes of that sector
 *
 * Records past the size are dropped; of two for the same sector the last
 * counts. tests/fuzz/img2fuzz.py turns an image made by the real tools
 * into this form (its sectors that are not all zero). Header-only: each
 * target is one translation unit. The walk reads the whole tree as `de
 * fsls -R --hash --xattrs` does, bounded in entries, depth and bytes so
 * that every input ends quickly.
 */
#ifndef DE_FUZZ_IMG_H
#define DE_FUZZ_IMG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs/fs.h"
#include "image/bsrc.h"

#define FZ_SECTOR 512u
#define FZ_MAX_SECTORS (2u << 20)

typedef struct fz_sec {
	uint32_t no;
	const uint8_t *p;
} fz_sec;

typedef struct fz_img {
	bsrc b;
	fz_sec *s;
	size_t n;
} fz_img;

static uint32_t fz_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int fz_cmp(const void *a, const void *b)
{
	const fz_sec *x = a, *y = b;
	if (x->no != y->no)
		return x->no < y->no ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;   /* input order: the later wins */
}

static int fz_read(bsrc *s, uint64_t off, void *buf, size_t len, de_err *e)
{
	fz_img *im = (fz_img *)s;
	(void)e;
	uint8_t *out = buf;
	while (len) {
		uint32_t no = (uint32_t)(off / FZ_SECTOR);
		size_t in = (size_t)(off % FZ_SECTOR), take = FZ_SECTOR - in < len ? FZ_SECTOR - in : len;
		size_t lo = 0, hi = im->n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (im->s[mid].no <= no)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && im->s[lo - 1].no == no)
			memcpy(out, im->s[lo - 1].p + in, take);
		else
			memset(out, 0, take);
		out += take;
		off += take;
		len -= take;
	}
	return 0;
}

static void fz_close(bsrc *s)
{
	fz_img *im = (fz_img *)s;
	free(im->s);
	free(im->b.name);
	free(im);
}

static const bsrc_ops fz_ops = {fz_read, fz_close};

/* The image an input describes, or NULL when it is too short. */
static bsrc *fz_image(const uint8_t *data, size_t size)
{
	if (size < 4)
		return NULL;
	uint32_t sectors = fz_le32(data);
	if (sectors > FZ_MAX_SECTORS)
		sectors = FZ_MAX_SECTORS;
	fz_img *im = calloc(1, sizeof *im);
	size_t cap = (size - 4) / (4 + FZ_SECTOR);
	im->s = calloc(cap ? cap : 1, sizeof *im->s);
	for (size_t at = 4; at + 4 + FZ_SECTOR <= size; at += 4 + FZ_SECTOR) {
		uint32_t no = fz_le32(data + at);
		if (no < sectors)
			im->s[im->n++] = (fz_sec){no, data + at + 4};
	}
	qsort(im->s, im->n, sizeof *im->s, fz_cmp);
	size_t k = 0;   /* keep the last record of each sector */
	for (size_t i = 0; i < im->n; i++) {
		if (k && im->s[k - 1].no == im->s[i].no)
			k--;
		im->s[k++] = im->s[i];
	}
	im->n = k;
	im->b.ops = &fz_ops;
	im->b.size = (uint64_t)sectors * FZ_SECTOR;
	im->b.name = strdup("fuzz");
	im->b.format = "memory";
	im->b.sector = FZ_SECTOR;
	return &im->b;
}

/* ---- the walk ---- */

#define FZ_MAX_VISIT 3000
#define FZ_MAX_DEPTH 12
#define FZ_MAX_READ (256u << 10)

typedef struct fz_walk {
	de_fs *fs;
	unsigned visited;
	uint64_t dirs[64];
	unsigned ndirs;
	uint64_t read;
} fz_walk;

static int fz_xattr_cb(void *arg, const char *name, const void *value, size_t len)
{
	(void)arg;
	volatile uint8_t sink = 0;
	sink ^= (uint8_t)name[0];
	if (len)
		sink ^= ((const uint8_t *)value)[len - 1];
	return 0;
}

static void fz_file(fz_walk *w, uint64_t ino)
{
	fs_file *f;
	de_err e;
	if (fs_file_open(w->fs, ino, &f, &e) < 0)
		return;
	static uint8_t buf[64 << 10];
	uint64_t size = fs_file_size(f);
	for (uint64_t off = 0; off < size && w->read < FZ_MAX_READ;) {
		size_t got;
		if (fs_file_read(f, off, buf, sizeof buf, &got, &e) < 0 || got == 0)
			break;
		w->read += got;
		off += got;
	}
	fs_extent x;
	if (size)
		fs_file_extent(f, size - 1, &x, &e);
	fs_file_close(f);
}

static void fz_dir(fz_walk *w, uint64_t ino, unsigned depth);

static int fz_entry(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	fz_walk *w = arg;
	(void)dtype;
	if (++w->visited > FZ_MAX_VISIT)
		return 1;
	de_err e;
	fs_stat st;
	if (fs_lstat(w->fs, ino, &st, &e) < 0)
		return 0;
	fs_xattrs(w->fs, ino, fz_xattr_cb, NULL, &e);
	if (S_ISLNK(st.mode)) {
		char *t;
		size_t tl;
		if (fs_readlink(w->fs, ino, &t, &tl, &e) == 0)
			free(t);
	} else if (S_ISREG(st.mode))
		fz_file(w, ino);
	else if (S_ISDIR(st.mode) && w->ndirs < 64)
		w->dirs[w->ndirs++] = ino;
	if (w->visited % 64 == 1) {   /* now and then, the lookup path too */
		uint64_t back;
		fs_lookup(w->fs, ino, name, len, &back, &e);
	}
	return 0;
}

static void fz_dir(fz_walk *w, uint64_t ino, unsigned depth)
{
	de_err e;
	unsigned first = w->ndirs;
	fs_readdir(w->fs, ino, fz_entry, w, &e);
	unsigned last = w->ndirs;
	for (unsigned i = first; i < last && depth < FZ_MAX_DEPTH && w->visited <= FZ_MAX_VISIT; i++)
		fz_dir(w, w->dirs[i], depth + 1);
	w->ndirs = first;
}

/* Opens the file system of src when its type starts with want ("ext",
 * "xfs", or "" for any) and walks it. */
static void fz_walk_fs(bsrc *src, const char *want)
{
	de_fs *fs;
	de_err e;
	if (fs_open(src, &fs, &e) < 0)
		return;
	if (strncmp(fs_type(fs), want, strlen(want)) == 0) {
		fz_walk w = {fs, 0, {0}, 0, 0};
		fz_dir(&w, fs_root(fs), 0);
		uint64_t ino;
		size_t done;
		fs_namei(fs, "/x/../files/f1", &ino, &done, &e);
		fs_namei(fs, "/links/fast/x", &ino, &done, &e);
	}
	fs_close(fs);
}

#endif

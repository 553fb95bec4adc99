/*
 * xfs_dir.c — XFS directories (version 2 and 3; xfs_da_format.h).
 *
 *  - shortform (data fork LOCAL): count u8, i8count u8, parent (4 bytes,
 *    or 8 when i8count); entries: namelen u8, offset be16, name, ftype u8
 *    (with the ftype feature), inode number (4 or 8 bytes);
 *  - block, leaf and node forms keep their entries in data blocks of
 *    dirblksize bytes (the fs block << sb_dirblklog) in the first 32 GiB
 *    of the directory's address space (the leaf and free-index blocks live
 *    above; di_size covers only the data blocks). A data block: a header
 *    (magic "XD2B"/"XD2D" and 3 best-free pairs, 16 bytes on v4;
 *    "XDB3"/"XDD3" with CRC, block number, LSN, UUID, owner, best-free and
 *    padding, 64 bytes on v5), then 8-byte-aligned records: an entry
 *    (inumber be64, namelen u8, name, ftype u8, then padding and a be16
 *    tag ending it) or unused space (freetag 0xFFFF, length be16, …). A
 *    single-block directory ("XD2B"/"XDB3") ends with its leaf entries
 *    (8 bytes each) and a tail (count be32, stale be32): the records stop
 *    before them.
 * Every data block is read whole, in order; a hole (a freed block of a
 * node directory) is skipped; a block with a bad magic or a damaged record
 * is a warning and its remaining records are not read.
 */
#include "xfs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

#define XFS_DIR2_LEAF_OFFSET (1ull << 35)   /* 32 GiB: where the data space ends */
#ifndef DT_WHT
#define DT_WHT 14
#endif

typedef struct dirwalk {
	de_fs *fs;
	uint64_t ino;
	fs_dir_cb cb;
	void *arg;
	size_t count;
} dirwalk;

static unsigned xfs_dtype(const xfs *x, uint8_t t)
{
	static const unsigned map[9] = {DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK,
	                                DT_LNK, DT_WHT};
	return x->ftype && t < 9 ? map[t] : DT_UNKNOWN;
}

static bool is_dot(const uint8_t *name, size_t n)
{
	return (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.');
}

/* One entry found; a nonzero return stops the walk. */
static int emit(dirwalk *w, const uint8_t *name, size_t n, uint64_t ino, unsigned dtype)
{
	xfs *x = xfs_of(w->fs);
	if (is_dot(name, n))
		return 0;
	if (!xfs_ino_ok(x, ino)) {
		de_warn("%s: directory inode %llu: entry \"%.*s\" names inode %llu, outside the file "
		        "system: left out", w->fs->src->name, (unsigned long long)w->ino, (int)n, name,
		        (unsigned long long)ino);
		return 0;
	}
	if (++w->count > FS_MAX_DIRENTS)
		return -EFBIG;
	return w->cb(w->arg, (const char *)name, n, ino, dtype);
}

static int shortform(dirwalk *w, const xfs_inode *in, de_err *e)
{
	xfs *x = xfs_of(w->fs);
	const uint8_t *p = in->data.p;
	size_t size = in->size < in->data.size ? (size_t)in->size : in->data.size;
	if (size < 6)
		return fs_err(e, EIO, "%s: directory inode %llu: short form header past its fork",
		              w->fs->src->name, (unsigned long long)w->ino);
	unsigned count = p[0], isz = p[1] ? 8 : 4;
	size_t off = 2 + isz;
	for (unsigned i = 0; i < count; i++) {
		if (off + 3 > size || off + 3 + p[off] + (x->ftype ? 1u : 0u) + isz > size || p[off] == 0)
			return fs_err(e, EIO, "%s: directory inode %llu: short form entry %u past its fork",
			              w->fs->src->name, (unsigned long long)w->ino, i);
		size_t n = p[off];
		const uint8_t *name = p + off + 3, *q = name + n;
		unsigned t = x->ftype ? *q++ : 0;
		uint64_t ino = isz == 8 ? be64(q) : be32(q);
		int rc = emit(w, name, n, ino, xfs_dtype(x, (uint8_t)t));
		if (rc)
			return rc;
		off = (size_t)(q + isz - p);
	}
	return 0;
}

/* The records of one data block; 0, or the callback's stop value. */
static int data_block(dirwalk *w, const uint8_t *b, size_t bsz, uint64_t db)
{
	xfs *x = xfs_of(w->fs);
	uint32_t magic = be32(b);
	bool v5 = x->version == 5;
	bool block = magic == (v5 ? 0x58444233u : 0x58443242u);   /* XDB3 / XD2B */
	bool data = magic == (v5 ? 0x58444433u : 0x58443244u);    /* XDD3 / XD2D */
	size_t off = v5 ? 64 : 16, end = bsz;
	if (!block && !data) {
		de_warn("%s: directory inode %llu: data block %llu has magic 0x%08x: not read",
		        w->fs->src->name, (unsigned long long)w->ino, (unsigned long long)db, magic);
		return 0;
	}
	if (block) {
		uint64_t count = be32(b + bsz - 8);
		if (count > (bsz - off - 8) / 8) {
			de_warn("%s: directory inode %llu: block tail counts %llu leaf entries",
			        w->fs->src->name, (unsigned long long)w->ino, (unsigned long long)count);
			return 0;
		}
		end = bsz - 8 - 8 * (size_t)count;
	}
	while (off + 8 <= end) {
		const uint8_t *r = b + off;
		if (be16(r) == 0xffff) {   /* unused space */
			size_t len = be16(r + 2);
			if (len < 8 || (len & 7) || len > end - off)
				goto damaged;
			off += len;
			continue;
		}
		if (end - off < 16)   /* the smallest entry */
			goto damaged;
		size_t n = r[8];
		size_t len = (8 + 1 + n + (x->ftype ? 1 : 0) + 2 + 7) & ~(size_t)7;
		if (n == 0 || len > end - off)
			goto damaged;
		int rc = emit(w, r + 9, n, be64(r), xfs_dtype(x, x->ftype ? r[9 + n] : 0));
		if (rc)
			return rc;
		off += len;
	}
	return 0;
damaged:
	de_warn("%s: directory inode %llu: data block %llu: damaged record at byte %zu: the rest of "
	        "the block not read", w->fs->src->name, (unsigned long long)w->ino,
	        (unsigned long long)db, off);
	return 0;
}

static int blocks(dirwalk *w, const xfs_inode *in, de_err *e)
{
	xfs *x = xfs_of(w->fs);
	size_t bsz = (size_t)x->bs << x->dirblklog;
	uint64_t size = in->size < XFS_DIR2_LEAF_OFFSET ? in->size : XFS_DIR2_LEAF_OFFSET;
	uint64_t ndb = size / bsz;
	uint8_t *b = xmalloc(bsz);
	int rc = 0;
	for (uint64_t db = 0; db < ndb && rc == 0; db++) {
		uint64_t fbno = db << x->dirblklog;
		xfs_bmap m;
		de_err be;
		if (xfs_map(w->fs, in, &in->data, fbno, &m, &be) < 0) {
			de_warn("%s", be.msg);
			continue;
		}
		if (m.kind == FS_HOLE) {   /* a freed data block: skip the hole */
			uint64_t next = m.off + m.len;
			if (m.len > UINT64_MAX - m.off || next >= ndb << x->dirblklog)
				break;
			if (next > fbno + 1)
				db = ((next + (1ull << x->dirblklog) - 1) >> x->dirblklog) - 1;
			continue;
		}
		int got = xfs_read_fork(w->fs, in, &in->data, fbno, b, bsz, false, &be);
		if (got < 0) {
			de_warn("%s", be.msg);
			continue;
		}
		rc = data_block(w, b, bsz, db);
	}
	free(b);
	(void)e;
	return rc;
}

int xfs_readdir(de_fs *fs, uint64_t ino, fs_dir_cb cb, void *arg, de_err *e)
{
	xfs_inode in;
	int rc = xfs_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	if (!S_ISDIR(in.mode))
		return fs_err(e, ENOTDIR, "%s: inode %llu is not a directory", fs->src->name,
		              (unsigned long long)ino);
	dirwalk w = {fs, ino, cb, arg, 0};
	if (in.data.format == XFS_FMT_LOCAL)
		rc = shortform(&w, &in, e);
	else if (in.data.format == XFS_FMT_EXTENTS || in.data.format == XFS_FMT_BTREE)
		rc = blocks(&w, &in, e);
	else
		return fs_err(e, EIO, "%s: directory inode %llu: data fork format %d", fs->src->name,
		              (unsigned long long)ino, in.data.format);
	if (rc == -EFBIG)
		return fs_err(e, EFBIG, "%s: directory inode %llu: more than %u entries", fs->src->name,
		              (unsigned long long)ino, FS_MAX_DIRENTS);
	return rc;
}

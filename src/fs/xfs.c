/*
 * xfs.c — XFS (v4 and v5): the super block, inodes, the data and
 * attribute forks' extent maps (extent lists and bmap btrees), stat,
 * symlinks and file content. Directories are xfs_dir.c, xattrs xfs_attr.c.
 *
 * On-disk facts used (big-endian; xfs_format.h):
 *  - super block at 0: "XFSB", sb_blocksize 4, sb_dblocks 8, sb_rootino
 *    56, sb_agblocks 84, sb_agcount 88, sb_versionnum 100 (low 4 bits: 4
 *    or 5), sb_inodesize 104, sb_inopblock 106, sb_fname 108, sb_blocklog
 *    120, sb_inodelog 122, sb_inopblog 123, sb_agblklog 124, sb_dirblklog
 *    192, sb_features2 200 (v4 ftype: 0x200), sb_features_incompat 216;
 *  - inode numbers: agno << (agblklog + inopblog) | agbno << inopblog |
 *    index in block; fs block numbers: agno << agblklog | agbno;
 *  - the dinode: di_magic "IN" 0, di_mode 2, di_version 4, di_format 5,
 *    di_onlink 6 (v1), di_uid 8, di_gid 12, di_nlink 16, di_big_nextents
 *    24 (NREXT64), di_atime 32, di_mtime 40, di_ctime 48, di_size 56,
 *    di_nblocks 64, di_nextents 76 (or di_big_anextents with NREXT64),
 *    di_anextents 80, di_forkoff 82 (attr fork at literal area + 8 ×),
 *    di_aformat 83, di_flags 90, di_flags2 120 (v3), di_crtime 144 (v3);
 *    the literal area (the forks) starts at 100 (v1/v2) or 176 (v3);
 *  - timestamps: seconds (signed) and nanoseconds, be32 each; with
 *    XFS_DIFLAG2_BIGTIME one be64 of nanoseconds since 1901-12-13T20:45:52Z
 *    (the Unix epoch minus 2^31 s);
 *  - devices (di_format DEV): a be32 at the data fork, major bits 18-31
 *    (the kernel keeps 9 of them), minor bits 0-17;
 *  - extent records (xfs_bmbt_rec, 16 bytes): bit 127 unwritten, bits
 *    73-126 file offset, 21-72 fs block, 0-20 length (in blocks);
 *  - btree forks: in the inode, level be16, numrecs be16, then maxrecs
 *    keys (be64 file offsets) and maxrecs pointers (be64 fs blocks), with
 *    maxrecs = (fork size - 4) / 16; btree blocks: magic "BMAP" (v4) or
 *    "BMA3" (v5), level 4, numrecs 6, a 24- (v4) or 72-byte (v5) header,
 *    then records (leaves) or keys and pointers (nodes);
 *  - remote symlinks: the target in the data fork's extents, each extent
 *    (one buffer to the kernel) after a 56-byte header ("XSLM", offset) on
 *    v5 — not each block, unlike remote attribute values.
 * Realtime files (their blocks are on another device) are refused.
 */
#include "xfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

#define XFS_MAX_BTREE_LEVELS 9
#define XFS_BIGTIME_EPOCH_OFFSET 2147483648LL

static const char *fsname(de_fs *fs) { return fs->src->name; }

bool xfs_ino_ok(const xfs *x, uint64_t ino)
{
	unsigned agino_log = x->agblklog + x->inopblog;
	if (agino_log >= 64)
		return false;
	uint64_t agno = ino >> agino_log, agbno = (ino >> x->inopblog) & ((1ull << x->agblklog) - 1);
	return ino != 0 && agno < x->agcount && agbno < x->agblocks;
}

int xfs_fsb_to_byte(de_fs *fs, uint64_t fsb, uint64_t count, uint64_t *byte, de_err *e)
{
	xfs *x = xfs_of(fs);
	uint64_t agno = fsb >> x->agblklog, agbno = fsb & ((1ull << x->agblklog) - 1);
	if (agno >= x->agcount || agbno >= x->agblocks || count > x->agblocks - agbno)
		return fs_err(e, EIO, "%s: fs block %llu (+%llu) lies outside the file system", fsname(fs),
		              (unsigned long long)fsb, (unsigned long long)count);
	*byte = (agno * x->agblocks + agbno) << x->blocklog;
	return 0;
}

static int fork_of(const xfs *x, xfs_inode *in, de_err *e, de_fs *fs)
{
	const uint8_t *r = in->raw;
	unsigned lit = in->version == 3 ? 176 : 100, forkoff = r[82] * 8u;
	if (lit + forkoff > x->isize)
		return fs_err(e, EIO, "%s: inode %llu: attribute fork offset %u past the inode", fsname(fs),
		              (unsigned long long)in->ino, forkoff);
	bool big = in->flags2 & XFS_DIFLAG2_NREXT64;
	in->data = (xfs_fork){r + lit, forkoff ? forkoff : x->isize - lit, r[5],
	                      big ? be64(r + 24) : be32(r + 76)};
	if (forkoff)
		in->attr = (xfs_fork){r + lit + forkoff, x->isize - lit - forkoff, (int8_t)r[83],
		                      big ? be32(r + 76) : be16(r + 80)};
	else
		in->attr = (xfs_fork){NULL, 0, -1, 0};
	return 0;
}

int xfs_read_inode(de_fs *fs, uint64_t ino, xfs_inode *in, de_err *e)
{
	xfs *x = xfs_of(fs);
	if (!xfs_ino_ok(x, ino))
		return fs_err(e, EIO, "%s: inode %llu is outside the file system", fsname(fs),
		              (unsigned long long)ino);
	unsigned agino_log = x->agblklog + x->inopblog;
	uint64_t agno = ino >> agino_log, agbno = (ino >> x->inopblog) & ((1ull << x->agblklog) - 1);
	uint64_t idx = ino & ((1ull << x->inopblog) - 1);
	uint64_t off = ((agno * x->agblocks + agbno) << x->blocklog) + (idx << x->inodelog);
	if (bsrc_read(fs->meta, off, in->raw, x->isize, e) < 0)
		return -EIO;
	const uint8_t *r = in->raw;
	in->ino = ino;
	in->version = r[4];
	if (be16(r) != 0x494e || in->version < 1 || in->version > 3 ||
	    (in->version == 3) != (x->version == 5))
		return fs_err(e, EIO, "%s: inode %llu: bad magic or version", fsname(fs),
		              (unsigned long long)ino);
	if (in->version == 3 && be64(r + 152) != ino)
		return fs_err(e, EIO, "%s: inode %llu: its record says inode %llu", fsname(fs),
		              (unsigned long long)ino, (unsigned long long)be64(r + 152));
	in->mode = be16(r + 2);
	in->size = be64(r + 56);
	in->nblocks = be64(r + 64);
	in->flags = be16(r + 90);
	in->flags2 = in->version == 3 ? be64(r + 120) : 0;
	if ((int64_t)in->size < 0)
		return fs_err(e, EIO, "%s: inode %llu: negative size", fsname(fs), (unsigned long long)ino);
	return fork_of(x, in, e, fs);
}

static struct timespec xfs_time(const xfs_inode *in, unsigned off)
{
	const uint8_t *p = in->raw + off;
	struct timespec t;
	if (in->flags2 & XFS_DIFLAG2_BIGTIME) {
		uint64_t ns = be64(p);
		t.tv_sec = (time_t)(ns / 1000000000u) - XFS_BIGTIME_EPOCH_OFFSET;
		t.tv_nsec = (long)(ns % 1000000000u);
	} else {
		t.tv_sec = (int32_t)be32(p);
		t.tv_nsec = (long)be32(p + 4);
		if (t.tv_nsec < 0 || t.tv_nsec > 999999999)
			t.tv_nsec = 0;
	}
	return t;
}

static int xfs_stat(de_fs *fs, uint64_t ino, fs_stat *st, de_err *e)
{
	xfs *x = xfs_of(fs);
	xfs_inode in;
	int rc = xfs_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	const uint8_t *r = in.raw;
	if (in.mode == 0)
		return fs_err(e, EIO, "%s: inode %llu is free", fsname(fs), (unsigned long long)ino);
	st->ino = ino;
	st->mode = in.mode;
	st->nlink = in.version == 1 ? be16(r + 6) : be32(r + 16);
	st->uid = be32(r + 8);
	st->gid = be32(r + 12);
	st->size = in.size;
	st->blocks = in.nblocks << (x->blocklog - 9);
	st->atime = xfs_time(&in, 32);
	st->mtime = xfs_time(&in, 40);
	st->ctime = xfs_time(&in, 48);
	if (in.version == 3) {
		st->btime = xfs_time(&in, 144);
		st->has_btime = true;
	}
	if ((S_ISCHR(in.mode) || S_ISBLK(in.mode)) && in.data.format == XFS_FMT_DEV) {
		uint32_t dev = be32(in.data.p);
		st->rdev_major = (dev >> 18) & 0x3fff & 0x1ff;
		st->rdev_minor = dev & 0x3ffff;
	}
	return 0;
}

/* ---- extent maps ---- */

typedef struct rec {
	uint64_t off, fsb, len;
	bool unwritten;
} rec;

static rec rec_at(const uint8_t *p)
{
	uint64_t l0 = be64(p), l1 = be64(p + 8);
	return (rec){(l0 >> 9) & ((1ull << 54) - 1), ((l0 & 0x1ff) << 43) | (l1 >> 21),
	             l1 & ((1ull << 21) - 1), (l0 >> 63) != 0};
}

/* In n sorted records at p: the one holding fbno, or the hole to the next
 * (limit: where the hole ends when no record follows). */
static int map_records(de_fs *fs, const uint8_t *p, size_t n, uint64_t fbno, uint64_t limit,
                       xfs_bmap *m, de_err *e)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {   /* first record starting after fbno */
		size_t mid = (lo + hi) / 2;
		if (rec_at(p + 16 * mid).off <= fbno)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0) {
		rec r = rec_at(p + 16 * (lo - 1));
		if (fbno - r.off < r.len) {
			uint64_t byte;
			int rc = xfs_fsb_to_byte(fs, r.fsb, r.len, &byte, e);
			if (rc < 0)
				return rc;
			*m = (xfs_bmap){r.off, r.len, r.fsb, r.unwritten ? FS_UNWRITTEN : FS_DATA};
			return 0;
		}
	}
	uint64_t end = lo < n ? rec_at(p + 16 * lo).off : limit;
	*m = (xfs_bmap){fbno, end > fbno ? end - fbno : 1, 0, FS_HOLE};
	return 0;
}

/* In keys[0..n): the last key at or before fbno (-1 if none); *next the
 * key after it, if any. */
static int pick_key(const uint8_t *keys, size_t n, uint64_t fbno, uint64_t *next)
{
	int pick = -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = be64(keys + 8 * i);
		if (k > fbno) {
			if (k < *next)
				*next = k;
			break;
		}
		pick = (int)i;
	}
	return pick;
}

static int map_btree(de_fs *fs, const xfs_inode *in, const xfs_fork *f, uint64_t fbno, xfs_bmap *m,
                     de_err *e)
{
	xfs *x = xfs_of(fs);
	unsigned level = be16(f->p), n = be16(f->p + 2);
	size_t maxrecs = (f->size - 4) / 16;
	if (level == 0 || level > XFS_MAX_BTREE_LEVELS || n > maxrecs)
		return fs_err(e, EIO, "%s: inode %llu: bad bmap btree root", fsname(fs),
		              (unsigned long long)in->ino);
	uint64_t limit = UINT64_MAX;
	const uint8_t *keys = f->p + 4, *ptrs = f->p + 4 + 8 * maxrecs;
	size_t hdr = x->version == 5 ? 72 : 24;
	uint8_t *buf = xmalloc(x->bs);
	int rc = 0;
	for (;;) {
		int pick = pick_key(keys, n, fbno, &limit);
		if (pick < 0) {
			*m = (xfs_bmap){fbno, n ? be64(keys) - fbno : 1, 0, FS_HOLE};
			break;
		}
		uint64_t child = be64(ptrs + 8 * (size_t)pick), byte;
		if ((rc = xfs_fsb_to_byte(fs, child, 1, &byte, e)) < 0 ||
		    (rc = bsrc_read(fs->meta, byte, buf, x->bs, e) < 0 ? -EIO : 0) < 0)
			break;
		uint32_t magic = be32(buf);
		unsigned clevel = be16(buf + 4);
		n = be16(buf + 6);
		if (magic != (x->version == 5 ? 0x424d4133u : 0x424d4150u) || clevel != level - 1) {
			rc = fs_err(e, EIO, "%s: inode %llu: bad bmap btree block", fsname(fs),
			            (unsigned long long)in->ino);
			break;
		}
		level = clevel;
		if (level == 0) {
			if (n > (x->bs - hdr) / 16)
				rc = fs_err(e, EIO, "%s: inode %llu: bmap btree leaf overfull", fsname(fs),
				            (unsigned long long)in->ino);
			else
				rc = map_records(fs, buf + hdr, n, fbno, limit, m, e);
			break;
		}
		maxrecs = (x->bs - hdr) / 16;
		if (n > maxrecs) {
			rc = fs_err(e, EIO, "%s: inode %llu: bmap btree node overfull", fsname(fs),
			            (unsigned long long)in->ino);
			break;
		}
		keys = buf + hdr;
		ptrs = buf + hdr + 8 * maxrecs;
	}
	free(buf);
	return rc;
}

int xfs_map(de_fs *fs, const xfs_inode *in, const xfs_fork *f, uint64_t fbno, xfs_bmap *m, de_err *e)
{
	if (f->format == XFS_FMT_EXTENTS) {
		if (f->nextents > f->size / 16)
			return fs_err(e, EIO, "%s: inode %llu: %llu extents do not fit in the fork", fsname(fs),
			              (unsigned long long)in->ino, (unsigned long long)f->nextents);
		return map_records(fs, f->p, (size_t)f->nextents, fbno, UINT64_MAX, m, e);
	}
	if (f->format == XFS_FMT_BTREE)
		return map_btree(fs, in, f, fbno, m, e);
	return fs_err(e, EIO, "%s: inode %llu: fork format %d has no extent map", fsname(fs),
	              (unsigned long long)in->ino, f->format);
}

int xfs_read_fork(de_fs *fs, const xfs_inode *in, const xfs_fork *f, uint64_t fbno, uint8_t *buf,
                  size_t len, bool holes_ok, de_err *e)
{
	xfs *x = xfs_of(fs);
	bool hole = false;
	while (len) {
		xfs_bmap m;
		int rc = xfs_map(fs, in, f, fbno, &m, e);
		if (rc < 0)
			return rc;
		uint64_t nblk = m.len - (fbno - m.off);
		size_t take = (uint64_t)len >> x->blocklog < nblk ? len : (size_t)(nblk << x->blocklog);
		if (m.kind != FS_DATA) {
			if (!holes_ok)
				return fs_err(e, EIO, "%s: inode %llu: a hole at block %llu", fsname(fs),
				              (unsigned long long)in->ino, (unsigned long long)fbno);
			memset(buf, 0, take);
			hole = true;
		} else {
			uint64_t byte;
			if ((rc = xfs_fsb_to_byte(fs, m.fsb, m.len, &byte, e)) < 0)
				return rc;
			if (bsrc_read(fs->meta, byte + ((fbno - m.off) << x->blocklog), buf, take, e) < 0)
				return -EIO;
		}
		buf += take;
		len -= take;
		fbno += (take + x->bs - 1) >> x->blocklog;
	}
	return hole ? 1 : 0;
}

/* ---- files and symlinks ---- */

static int xfs_file_open(de_fs *fs, uint64_t ino, fs_file *f, de_err *e)
{
	xfs_inode *in = xmalloc(sizeof *in);
	int rc = xfs_read_inode(fs, ino, in, e);
	if (rc == 0 && !S_ISREG(in->mode) && !S_ISLNK(in->mode))
		rc = fs_err(e, EINVAL, "%s: inode %llu is not a regular file", fsname(fs),
		            (unsigned long long)ino);
	if (rc == 0 && (in->flags & XFS_DIFLAG_REALTIME))
		rc = fs_err(e, EOPNOTSUPP, "%s: inode %llu: a realtime file (its blocks are on the "
		            "realtime device): not read", fsname(fs), (unsigned long long)ino);
	if (rc == 0 && in->data.format == XFS_FMT_LOCAL) {
		/* symlinks only: their target is read by readlink */
		if (in->size > in->data.size)
			rc = fs_err(e, EIO, "%s: inode %llu: local data of %llu bytes in a fork of %zu",
			            fsname(fs), (unsigned long long)ino, (unsigned long long)in->size,
			            in->data.size);
		else {
			f->size = in->size;
			f->inl = xmalloc(in->size ? in->size : 1);
			memcpy(f->inl, in->data.p, in->size);
			free(in);
			return 0;
		}
	} else if (rc == 0 && in->data.format != XFS_FMT_EXTENTS && in->data.format != XFS_FMT_BTREE)
		rc = fs_err(e, EIO, "%s: inode %llu: data fork format %d", fsname(fs),
		            (unsigned long long)ino, in->data.format);
	if (rc < 0) {
		free(in);
		return rc;
	}
	f->size = in->size;
	f->priv = in;
	return 0;
}

static int xfs_file_extent(fs_file *f, uint64_t off, fs_extent *xt, de_err *e)
{
	xfs *x = xfs_of(f->fs);
	xfs_inode *in = f->priv;
	xfs_bmap m;
	int rc = xfs_map(f->fs, in, &in->data, off >> x->blocklog, &m, e);
	if (rc < 0)
		return rc;
	uint64_t maxb = UINT64_MAX >> x->blocklog, byte = 0;
	if (m.kind != FS_HOLE && (rc = xfs_fsb_to_byte(f->fs, m.fsb, m.len, &byte, e)) < 0)
		return rc;
	xt->logical = m.off << x->blocklog;
	xt->length = (m.len > maxb - m.off ? maxb - m.off : m.len) << x->blocklog;
	xt->phys = byte;
	xt->kind = m.kind;
	return 0;
}

static void xfs_file_close(fs_file *f)
{
	free(f->priv);
}

#define XFS_SYMLINK_MAXLEN 1024

static int xfs_readlink(de_fs *fs, uint64_t ino, char **target, size_t *len, de_err *e)
{
	xfs *x = xfs_of(fs);
	xfs_inode in;
	int rc = xfs_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	if (!S_ISLNK(in.mode))
		return fs_err(e, EINVAL, "%s: inode %llu is not a symlink", fsname(fs), (unsigned long long)ino);
	if (in.size == 0 || in.size > XFS_SYMLINK_MAXLEN)
		return fs_err(e, EIO, "%s: inode %llu: symlink of %llu bytes", fsname(fs),
		              (unsigned long long)ino, (unsigned long long)in.size);
	char *t = xmalloc(in.size + 1);
	if (in.data.format == XFS_FMT_LOCAL) {
		if (in.size > in.data.size)
			rc = fs_err(e, EIO, "%s: inode %llu: local symlink past its fork", fsname(fs),
			            (unsigned long long)ino);
		else
			memcpy(t, in.data.p, in.size);
	} else {
		/* remote: the target in the fork's extents, each extent (one
		 * buffer to the kernel) after a header on v5 */
		size_t hdr = x->version == 5 ? 56 : 0, got = 0;
		uint8_t *buf = NULL;
		for (uint64_t b = 0; got < in.size && rc == 0;) {
			xfs_bmap m;
			if ((rc = xfs_map(fs, &in, &in.data, b, &m, e)) < 0)
				break;
			uint64_t n = m.len - (b - m.off);
			if (m.kind != FS_DATA || b != m.off || n > 8 || (n << x->blocklog) <= hdr) {
				rc = fs_err(e, EIO, "%s: inode %llu: remote symlink extent at block %llu",
				            fsname(fs), (unsigned long long)ino, (unsigned long long)b);
				break;
			}
			size_t blen = (size_t)n << x->blocklog;
			buf = xrealloc(buf, blen);
			if ((rc = xfs_read_fork(fs, &in, &in.data, b, buf, blen, false, e)) < 0)
				break;
			if (hdr && (be32(buf) != 0x58534c4d || be32(buf + 4) != got)) {
				rc = fs_err(e, EIO, "%s: inode %llu: remote symlink extent without its header",
				            fsname(fs), (unsigned long long)ino);
				break;
			}
			size_t take = in.size - got < blen - hdr ? in.size - got : blen - hdr;
			memcpy(t + got, buf + hdr, take);
			got += take;
			b += n;
		}
		free(buf);
	}
	if (rc < 0) {
		free(t);
		return rc;
	}
	t[in.size] = '\0';
	*len = strnlen(t, in.size);
	*target = t;
	return 0;
}

static void xfs_close(de_fs *fs)
{
	free(fs->priv);
}

static const fs_ops xfs_ops = {
	"xfs", xfs_stat, xfs_readdir, xfs_readlink, xfs_xattrs,
	xfs_file_open, xfs_file_extent, xfs_file_close, xfs_close,
};

/* ---- the super block ---- */

#define XFS_KNOWN_INCOMPAT 0x1ffu   /* ftype … metadir (through Linux 6.13) */

int fs_open_xfs(bsrc *src, de_fs *fs, de_err *e)
{
	uint8_t sb[512];
	if (bsrc_read(src, 0, sb, sizeof sb, e) < 0)
		return -EIO;
	xfs *x = xcalloc(1, sizeof *x);
	x->bs = be32(sb + 4);
	x->dblocks = be64(sb + 8);
	x->agblocks = be32(sb + 84);
	x->agcount = be32(sb + 88);
	x->version = be16(sb + 100) & 0xf;
	x->isize = be16(sb + 104);
	x->blocklog = sb[120];
	x->inodelog = sb[122];
	x->inopblog = sb[123];
	x->agblklog = sb[124];
	x->dirblklog = sb[192];
	x->incompat = x->version == 5 ? be32(sb + 216) : 0;
	x->ftype = x->version == 5 ? (x->incompat & XFS_SB_FEAT_INCOMPAT_FTYPE) != 0
	                           : (be32(sb + 200) & XFS_SB_VERSION2_FTYPE) != 0;
	const char *bad = NULL;
	if (x->version != 4 && x->version != 5)
		bad = "version (only v4 and v5 are read)";
	else if (x->blocklog < 9 || x->blocklog > 16 || x->bs != 1u << x->blocklog)
		bad = "block size";
	else if (x->inodelog < 8 || x->inodelog > 11 || x->isize != 1u << x->inodelog ||
	         x->inodelog > x->blocklog || x->inopblog != x->blocklog - x->inodelog ||
	         be16(sb + 106) != 1u << x->inopblog)
		bad = "inode size";
	else if (x->agcount == 0 || x->agblocks == 0 || x->agblklog > 31 ||
	         (1ull << x->agblklog) < x->agblocks || (x->agblklog && (1ull << (x->agblklog - 1)) >= x->agblocks))
		bad = "allocation group geometry";
	else if (x->blocklog + x->dirblklog > 16)
		bad = "directory block size";
	else if (x->dblocks > (uint64_t)x->agcount * x->agblocks)
		bad = "block count";
	else if (x->dblocks > src->size >> x->blocklog)
		bad = "block count (larger than the volume: a truncated image?)";
	if (bad) {
		free(x);
		return fs_err(e, EIO, "%s: XFS super block: bad %s", src->name, bad);
	}
	if (x->incompat & ~XFS_KNOWN_INCOMPAT) {
		uint32_t unk = x->incompat & ~XFS_KNOWN_INCOMPAT;
		free(x);
		return fs_err(e, EOPNOTSUPP, "%s: XFS with unknown incompatible features 0x%x: not read",
		              src->name, unk);
	}
	fs->priv = x;
	fs->ops = &xfs_ops;
	fs->type = "xfs";
	fs->root = be64(sb + 56);
	fs->dirty = false;   /* XFS keeps no clean flag in the super block (the log would tell) */
	memcpy(fs->label, sb + 108, 12);
	fs->label[12] = '\0';
	if (!xfs_ino_ok(x, fs->root)) {
		free(x);
		fs->priv = NULL;
		return fs_err(e, EIO, "%s: XFS root inode %llu outside the file system", src->name,
		              (unsigned long long)fs->root);
	}
	return 0;
}

/*
 * ext4.c — ext2, ext3 and ext4: the super block, group descriptors,
 * inodes, stat, extent trees and indirect block maps, symlinks, file
 * content. Directories are ext4_dir.c, xattrs ext4_xattr.c.
 *
 * On-disk facts used (little-endian; Documentation/filesystems/ext4):
 *  - super block at byte 1024: s_inodes_count 0x0, s_blocks_count_lo 0x4,
 *    s_first_data_block 0x14, s_log_block_size 0x18 (1024 << n),
 *    s_log_cluster_size 0x1C, s_blocks_per_group 0x20, s_inodes_per_group
 *    0x28, s_magic 0x38 (0xEF53), s_rev_level 0x4C, s_inode_size 0x58 (128
 *    in revision 0), s_feature_compat 0x5C / incompat 0x60 / ro_compat
 *    0x64, s_volume_name 0x78, s_desc_size 0xFE (64bit), s_first_meta_bg
 *    0x104, s_blocks_count_hi 0x150, s_backup_bgs 0x24C (sparse_super2);
 *  - group descriptors in the block after the super block's (or, with
 *    meta_bg past s_first_meta_bg, in the first block of each meta group,
 *    after its super block backup): bg_inode_table_lo 0x8, _hi 0x28;
 *  - an inode: i_mode 0x0, i_uid 0x2 (+ l_i_uid_high 0x78), i_size_lo 0x4
 *    (+ i_size_high 0x6C), i_atime 0x8, i_ctime 0xC, i_mtime 0x10, i_gid
 *    0x18 (+ l_i_gid_high 0x7A), i_links_count 0x1A, i_blocks_lo 0x1C (+
 *    l_i_blocks_high 0x74, in fs blocks with EXT4_HUGE_FILE_FL), i_flags
 *    0x20, i_block 0x28 (60 bytes), i_file_acl 0x68 (+ high 0x76),
 *    i_extra_isize 0x80, i_ctime_extra 0x84, i_mtime_extra 0x88,
 *    i_atime_extra 0x8C, i_crtime 0x90, i_crtime_extra 0x94. An _extra
 *    field counts only when it fits in 128 + i_extra_isize; it holds
 *    nanoseconds << 2 and 2 bits extending the signed 32-bit seconds;
 *  - devices: i_block[0] != 0: old encoding (major << 8 | minor, 8 bits
 *    each); else i_block[1]: new encoding (minor low 8 bits, major 12 bits
 *    at 8, minor high 12 bits at 20), as the kernel decodes them;
 *  - extent tree in i_block: header (magic 0xF30A, entries, max, depth),
 *    12-byte entries: index (ei_block, ei_leaf_lo, ei_leaf_hi) or leaf
 *    (ee_block, ee_len — over 32768: uninitialized, len - 32768 —,
 *    ee_start_hi, ee_start_lo); tree blocks hold the same header;
 *  - without extents: 12 direct blocks, then single, double and triple
 *    indirect blocks of le32 pointers (0: a hole).
 */
#include "ext4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

#define EXT4_MAX_DEPTH 5

static const char *fsname(de_fs *fs) { return fs->src->name; }

int ext4_read_block(de_fs *fs, uint64_t blk, uint8_t *buf, de_err *e)
{
	ext4 *x = ext4_of(fs);
	if (blk >= x->blocks)
		return fs_err(e, EIO, "%s: block %llu is outside the file system (%llu blocks)",
		              fsname(fs), (unsigned long long)blk, (unsigned long long)x->blocks);
	if (bsrc_read(fs->meta, blk << x->log_bs, buf, x->bs, e) < 0)
		return -EIO;
	return 0;
}

/* sparse_super: super block backups in groups 0, 1 and powers of 3, 5, 7. */
static bool has_super(const ext4 *x, uint64_t g)
{
	if (x->compat & EXT4_COMPAT_SPARSE_SUPER2)
		return g == 0 || g == x->backup_bgs[0] || g == x->backup_bgs[1];
	if (g <= 1 || !(x->ro_compat & EXT4_RO_COMPAT_SPARSE_SUPER))
		return true;
	if (!(g & 1))
		return false;
	for (uint64_t b = 3; b <= 7; b += 2) {
		uint64_t p = b;
		while (p < g)
			p *= b;
		if (p == g)
			return true;
	}
	return false;
}

/* The byte offset of group g's descriptor. */
static int desc_off(de_fs *fs, uint64_t g, uint64_t *off, de_err *e)
{
	ext4 *x = ext4_of(fs);
	uint64_t nr = g / x->dpb, blk;
	if (!(x->incompat & EXT4_INCOMPAT_META_BG) || nr < x->first_meta_bg)
		blk = x->first_data_block + 1 + nr;
	else {
		uint64_t bg = nr * x->dpb;
		blk = x->first_data_block + bg * x->bpg + (has_super(x, bg) ? 1 : 0);
		if (x->bs == 1024 && nr == 0 && x->first_data_block == 0)
			blk++;
	}
	if (blk >= x->blocks)
		return fs_err(e, EIO, "%s: descriptor of group %llu outside the file system",
		              fsname(fs), (unsigned long long)g);
	*off = (blk << x->log_bs) + (g % x->dpb) * x->desc_size;
	return 0;
}

int ext4_read_inode(de_fs *fs, uint64_t ino, ext4_inode *in, de_err *e)
{
	ext4 *x = ext4_of(fs);
	if (ino < 1 || ino > x->inodes)
		return fs_err(e, EIO, "%s: inode %llu out of range (1-%u)", fsname(fs),
		              (unsigned long long)ino, x->inodes);
	uint64_t g = (ino - 1) / x->ipg, idx = (ino - 1) % x->ipg, doff = 0;
	uint8_t d[64];
	int rc = desc_off(fs, g, &doff, e);
	if (rc < 0)
		return rc;
	if (bsrc_read(fs->meta, doff, d, x->desc_size, e) < 0)
		return -EIO;
	uint64_t table = le32(d + 8) | (x->desc_size >= 64 ? (uint64_t)le32(d + 0x28) << 32 : 0);
	uint64_t tblocks = ((uint64_t)x->ipg * x->isize + x->bs - 1) >> x->log_bs;
	if (table == 0 || table >= x->blocks || tblocks > x->blocks - table)
		return fs_err(e, EIO, "%s: inode table of group %llu at block %llu lies outside the "
		              "file system", fsname(fs), (unsigned long long)g, (unsigned long long)table);
	in->ino = ino;
	in->len = x->isize < sizeof in->raw ? x->isize : (uint32_t)sizeof in->raw;
	if (bsrc_read(fs->meta, (table << x->log_bs) + idx * x->isize, in->raw, in->len, e) < 0)
		return -EIO;
	in->mode = le16(in->raw);
	in->flags = le32(in->raw + 0x20);
	in->size = le32(in->raw + 4) | (uint64_t)le32(in->raw + 0x6C) << 32;
	return 0;
}

/* Whether the _extra field at off lies within the inode's extra space. */
static bool fits(const ext4_inode *in, unsigned off)
{
	if (in->len <= EXT4_GOOD_OLD_INODE_SIZE)
		return false;
	unsigned extra = le16(in->raw + 0x80);
	return off + 4 <= EXT4_GOOD_OLD_INODE_SIZE + extra && EXT4_GOOD_OLD_INODE_SIZE + extra <= in->len;
}

static struct timespec ext4_time(const ext4_inode *in, unsigned base, unsigned extra_off)
{
	struct timespec t = {(int32_t)le32(in->raw + base), 0};
	if (fits(in, extra_off)) {
		uint32_t x = le32(in->raw + extra_off);
		t.tv_sec += (int64_t)(x & 3) << 32;
		t.tv_nsec = x >> 2;
		if (t.tv_nsec > 999999999)
			t.tv_nsec = 999999999;   /* out of range on disk; the kernel clamps too */
	}
	return t;
}

static int ext4_stat(de_fs *fs, uint64_t ino, fs_stat *st, de_err *e)
{
	ext4 *x = ext4_of(fs);
	ext4_inode in;
	int rc = ext4_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	const uint8_t *r = in.raw;
	st->ino = ino;
	st->mode = in.mode;
	st->nlink = le16(r + 0x1A);
	if (st->nlink == 0 || in.mode == 0)
		return fs_err(e, EIO, "%s: inode %llu is not in use (link count %u, mode 0%o)",
		              fsname(fs), (unsigned long long)ino, st->nlink, in.mode);
	st->uid = le16(r + 2) | (uint32_t)le16(r + 0x78) << 16;
	st->gid = le16(r + 0x18) | (uint32_t)le16(r + 0x7A) << 16;
	st->size = in.size;
	uint64_t blocks = le32(r + 0x1C);
	if (x->ro_compat & EXT4_RO_COMPAT_HUGE_FILE) {
		blocks |= (uint64_t)le16(r + 0x74) << 32;
		if (in.flags & EXT4_HUGE_FILE_FL)
			blocks <<= x->log_bs - 9;
	}
	/* the kernel reports a sector per 512 bytes of a regular file's
	 * inline data, so that tar and rsync do not take it for sparse */
	if (S_ISREG(in.mode) && (in.flags & EXT4_INLINE_DATA_FL))
		blocks += (in.size + 511) >> 9;
	st->blocks = blocks;
	st->atime = ext4_time(&in, 0x8, 0x8C);
	st->ctime = ext4_time(&in, 0xC, 0x84);
	st->mtime = ext4_time(&in, 0x10, 0x88);
	if (fits(&in, 0x94)) {
		st->btime = ext4_time(&in, 0x90, 0x94);
		st->has_btime = true;
	}
	if (S_ISCHR(in.mode) || S_ISBLK(in.mode)) {
		uint32_t old = le32(r + 0x28), nw = le32(r + 0x2C);
		if (old) {
			st->rdev_major = (old >> 8) & 0xff;
			st->rdev_minor = old & 0xff;
		} else {
			st->rdev_major = (nw & 0xfff00) >> 8;
			st->rdev_minor = (nw & 0xff) | ((nw >> 12) & 0xfff00);
		}
	}
	return 0;
}

/* ---- block maps ---- */

/* Extent tree: the extent holding lblk, or the hole up to the next one. */
static int map_extents(de_fs *fs, const ext4_inode *in, uint64_t lblk, ext4_map *m, de_err *e)
{
	ext4 *x = ext4_of(fs);
	uint8_t *buf = NULL;
	const uint8_t *node = in->raw + 0x28;
	size_t room = EXT4_N_BLOCKS_BYTES;
	uint64_t limit = UINT64_MAX;   /* where the hole ends: the next mapped block */
	int rc = 0;
	for (int level = 0;; level++) {
		unsigned entries = le16(node + 2), max = le16(node + 4), depth = le16(node + 6);
		if (le16(node) != 0xF30A || max == 0 || entries > max || 12 + 12 * (size_t)max > room ||
		    depth >= EXT4_MAX_DEPTH || level > EXT4_MAX_DEPTH || (level && depth + level > EXT4_MAX_DEPTH)) {
			rc = fs_err(e, EIO, "%s: inode %llu: bad extent tree node", fsname(fs),
			            (unsigned long long)in->ino);
			break;
		}
		/* the last entry starting at or before lblk */
		int pick = -1;
		for (unsigned i = 0; i < entries; i++) {
			uint32_t start = le32(node + 12 + 12 * i);
			if (start <= lblk)
				pick = (int)i;
			else {
				if (start < limit)
					limit = start;
				break;
			}
		}
		if (depth == 0) {
			*m = (ext4_map){lblk, 0, 0, FS_HOLE};
			if (pick >= 0) {
				const uint8_t *ee = node + 12 + 12 * pick;
				uint32_t start = le32(ee);
				unsigned len = le16(ee + 4);
				int kind = FS_DATA;
				if (len > 32768) {
					len -= 32768;
					kind = FS_UNWRITTEN;
				}
				uint64_t pblk = (uint64_t)le16(ee + 6) << 32 | le32(ee + 8);
				if (lblk < (uint64_t)start + len) {
					if (pblk >= x->blocks || len > x->blocks - pblk) {
						rc = fs_err(e, EIO, "%s: inode %llu: extent at block %llu lies outside "
						            "the file system", fsname(fs), (unsigned long long)in->ino,
						            (unsigned long long)pblk);
						break;
					}
					*m = (ext4_map){start, len, pblk, kind};
					break;
				}
			}
			m->len = limit == UINT64_MAX ? UINT64_MAX - lblk : limit - lblk;
			break;
		}
		if (pick < 0) {   /* before the first index: a hole */
			*m = (ext4_map){lblk, limit - lblk, 0, FS_HOLE};
			break;
		}
		const uint8_t *ei = node + 12 + 12 * pick;
		uint64_t child = le32(ei + 4) | (uint64_t)le16(ei + 8) << 32;
		if (!buf)
			buf = xmalloc(x->bs);
		if ((rc = ext4_read_block(fs, child, buf, e)) < 0)
			break;
		if (le16(buf + 6) != depth - 1) {
			rc = fs_err(e, EIO, "%s: inode %llu: extent tree depth mismatch", fsname(fs),
			            (unsigned long long)in->ino);
			break;
		}
		node = buf;
		room = x->bs;
	}
	free(buf);
	return rc;
}

/* ext2/3 indirect blocks: the run of contiguous blocks (or of holes) from
 * lblk within one pointer block. */
static int map_indirect(de_fs *fs, const ext4_inode *in, uint64_t lblk, ext4_map *m, de_err *e)
{
	ext4 *x = ext4_of(fs);
	uint64_t ppb = x->bs / 4, per[4] = {12, ppb, ppb * ppb, ppb * ppb * ppb};
	uint64_t rel = lblk;
	int level = 0;
	while (level < 4 && rel >= per[level]) {
		rel -= per[level];
		level++;
	}
	if (level == 4)
		return fs_err(e, EFBIG, "%s: inode %llu: block %llu past the indirect map", fsname(fs),
		              (unsigned long long)in->ino, (unsigned long long)lblk);
	const uint8_t *ptrs = in->raw + 0x28;
	uint64_t nptrs = 12, idx = rel;
	uint8_t *buf = NULL;
	if (level > 0) {
		/* down from i_block[12 + level - 1]; rel is the place in its subtree */
		uint64_t blk = le32(in->raw + 0x28 + 4 * (11 + level));
		buf = xmalloc(x->bs);
		for (int k = level; k >= 1; k--) {
			uint64_t span = k == 1 ? 1 : per[k - 1];   /* blocks under one pointer: ppb^(k-1) */
			if (blk == 0) {   /* a whole subtree missing: a hole to its end */
				free(buf);
				*m = (ext4_map){lblk, span * ppb - rel, 0, FS_HOLE};
				return 0;
			}
			int rc = ext4_read_block(fs, blk, buf, e);
			if (rc < 0) {
				free(buf);
				return rc;
			}
			idx = rel / span;
			rel %= span;
			if (k > 1)
				blk = le32(buf + 4 * idx);
		}
		ptrs = buf;
		nptrs = ppb;
	}
	uint64_t first = le32(ptrs + 4 * idx), n = 1;
	while (idx + n < nptrs) {
		uint64_t p = le32(ptrs + 4 * (idx + n));
		if (first == 0 ? p != 0 : p != first + n)
			break;
		n++;
	}
	free(buf);
	if (first != 0 && (first >= x->blocks || n > x->blocks - first))
		return fs_err(e, EIO, "%s: inode %llu: block %llu outside the file system", fsname(fs),
		              (unsigned long long)in->ino, (unsigned long long)first);
	*m = (ext4_map){lblk, n, first, first ? FS_DATA : FS_HOLE};
	return 0;
}

int ext4_map_block(de_fs *fs, const ext4_inode *in, uint64_t lblk, ext4_map *m, de_err *e)
{
	if (in->flags & EXT4_EXTENTS_FL)
		return map_extents(fs, in, lblk, m, e);
	return map_indirect(fs, in, lblk, m, e);
}

/* ---- inline data, content ---- */

typedef struct sysdata {
	uint8_t *v;
	size_t n;
} sysdata;

static int sysdata_cb(void *arg, unsigned index, const char *name, size_t nlen, const uint8_t *value,
                      size_t vlen)
{
	sysdata *s = arg;
	if (index != 7 || nlen != 4 || memcmp(name, "data", 4) != 0)
		return 0;
	s->v = xmalloc(vlen ? vlen : 1);
	memcpy(s->v, value, vlen);
	s->n = vlen;
	return 1;
}

int ext4_inline(de_fs *fs, const ext4_inode *in, uint8_t **out, size_t *len, de_err *e)
{
	sysdata s = {NULL, 0};
	int rc = ext4_xattrs_raw(fs, in, sysdata_cb, &s, e);
	if (rc < 0)
		return rc;
	uint8_t *buf = xmalloc(EXT4_N_BLOCKS_BYTES + s.n);
	memcpy(buf, in->raw + 0x28, EXT4_N_BLOCKS_BYTES);
	if (s.n)
		memcpy(buf + EXT4_N_BLOCKS_BYTES, s.v, s.n);
	free(s.v);
	*out = buf;
	*len = EXT4_N_BLOCKS_BYTES + s.n;
	return 0;
}

/* Fast symlinks keep the target in i_block: they have no blocks but an
 * xattr block's (the kernel's ext4_inode_is_fast_symlink). */
static bool fast_symlink(const ext4 *x, const ext4_inode *in)
{
	if (!S_ISLNK(in->mode) || (in->flags & EXT4_INLINE_DATA_FL))
		return false;
	if (in->flags & EXT4_EA_INODE_FL)
		return in->size < EXT4_N_BLOCKS_BYTES;
	uint64_t blocks = le32(in->raw + 0x1C), acl = le32(in->raw + 0x68);
	if (x->ro_compat & EXT4_RO_COMPAT_HUGE_FILE)
		blocks |= (uint64_t)le16(in->raw + 0x74) << 32;
	return blocks == (acl ? x->cluster >> 9 : 0);
}

static int ext4_file_open(de_fs *fs, uint64_t ino, fs_file *f, de_err *e)
{
	ext4_inode *in = xmalloc(sizeof *in);
	int rc = ext4_read_inode(fs, ino, in, e);
	if (rc == 0 && !S_ISREG(in->mode) && !S_ISLNK(in->mode))
		rc = fs_err(e, EINVAL, "%s: inode %llu is not a regular file", fsname(fs),
		            (unsigned long long)ino);
	if (rc == 0 && (in->flags & EXT4_ENCRYPT_FL))
		rc = fs_err(e, EOPNOTSUPP, "%s: inode %llu is encrypted (fscrypt): not read",
		            fsname(fs), (unsigned long long)ino);
	if (rc < 0) {
		free(in);
		return rc;
	}
	f->size = in->size;
	if (fast_symlink(ext4_of(fs), in)) {   /* the target is the content */
		if (in->size >= EXT4_N_BLOCKS_BYTES)
			rc = fs_err(e, EIO, "%s: inode %llu: fast symlink of %llu bytes", fsname(fs),
			            (unsigned long long)ino, (unsigned long long)in->size);
		else {
			f->inl = xmalloc(in->size ? in->size : 1);
			memcpy(f->inl, in->raw + 0x28, in->size);
		}
		free(in);
		return rc;
	}
	if (in->flags & EXT4_INLINE_DATA_FL) {
		size_t n;
		rc = ext4_inline(fs, in, &f->inl, &n, e);
		free(in);
		if (rc == 0 && n < f->size) {
			free(f->inl);
			f->inl = NULL;
			rc = fs_err(e, EIO, "%s: inode %llu: %zu bytes of inline data for size %llu",
			            fsname(fs), (unsigned long long)ino, n, (unsigned long long)f->size);
		}
		return rc;
	}
	f->priv = in;
	return 0;
}

static int ext4_file_extent(fs_file *f, uint64_t off, fs_extent *xt, de_err *e)
{
	ext4 *x = ext4_of(f->fs);
	ext4_map m;
	uint64_t lblk = off >> x->log_bs;
	int rc = ext4_map_block(f->fs, f->priv, lblk, &m, e);
	if (rc < 0)
		return rc;
	uint64_t maxb = UINT64_MAX >> x->log_bs;
	xt->logical = m.lblk << x->log_bs;
	xt->length = (m.len > maxb - m.lblk ? maxb - m.lblk : m.len) << x->log_bs;
	xt->phys = m.pblk << x->log_bs;
	xt->kind = m.kind;
	return 0;
}

static void ext4_file_close(fs_file *f)
{
	free(f->priv);
}

int ext4_read_content(de_fs *fs, uint64_t ino, size_t want, uint8_t *buf, de_err *e)
{
	fs_file *f;
	int rc = fs_file_open(fs, ino, &f, e);
	if (rc < 0)
		return rc;
	size_t got = 0;
	if (f->size < want)
		rc = fs_err(e, EIO, "%s: inode %llu holds %llu bytes, %zu wanted", fsname(fs),
		            (unsigned long long)ino, (unsigned long long)f->size, want);
	else
		rc = fs_file_read(f, 0, buf, want, &got, e);
	fs_file_close(f);
	return rc;
}

static int ext4_readlink(de_fs *fs, uint64_t ino, char **target, size_t *len, de_err *e)
{
	ext4 *x = ext4_of(fs);
	ext4_inode in;
	int rc = ext4_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	if (!S_ISLNK(in.mode))
		return fs_err(e, EINVAL, "%s: inode %llu is not a symlink", fsname(fs), (unsigned long long)ino);
	if (in.flags & EXT4_ENCRYPT_FL)
		return fs_err(e, EOPNOTSUPP, "%s: inode %llu: an encrypted symlink", fsname(fs),
		              (unsigned long long)ino);
	if (in.size == 0 || in.size >= FS_MAX_SYMLINK)
		return fs_err(e, EIO, "%s: inode %llu: symlink of %llu bytes", fsname(fs),
		              (unsigned long long)ino, (unsigned long long)in.size);
	char *t = xmalloc(in.size + 1);
	if (fast_symlink(x, &in)) {
		if (in.size >= EXT4_N_BLOCKS_BYTES) {
			free(t);
			return fs_err(e, EIO, "%s: inode %llu: fast symlink of %llu bytes", fsname(fs),
			              (unsigned long long)ino, (unsigned long long)in.size);
		}
		memcpy(t, in.raw + 0x28, in.size);
	} else if ((rc = ext4_read_content(fs, ino, in.size, (uint8_t *)t, e)) < 0) {
		free(t);
		return rc;
	}
	t[in.size] = '\0';
	*len = strnlen(t, in.size);   /* the kernel stops at a NUL */
	*target = t;
	return 0;
}

static void ext4_close(de_fs *fs)
{
	free(fs->priv);
}

static const fs_ops ext4_ops = {
	"ext4", ext4_stat, ext4_readdir, ext4_readlink, ext4_xattrs,
	ext4_file_open, ext4_file_extent, ext4_file_close, ext4_close,
};

/* ---- the super block ---- */

static const char *ext_kind(const ext4 *x)
{
	if ((x->incompat & ~(EXT4_INCOMPAT_FILETYPE | EXT4_INCOMPAT_RECOVER | EXT4_INCOMPAT_META_BG)) ||
	    (x->ro_compat & ~0x7u))   /* past sparse_super, large_file, btree_dir */
		return "ext4";
	return (x->compat & EXT4_COMPAT_HAS_JOURNAL) ? "ext3" : "ext2";
}

int fs_open_ext4(bsrc *src, de_fs *fs, de_err *e)
{
	uint8_t sb[1024];
	if (bsrc_read(src, 1024, sb, sizeof sb, e) < 0)
		return -EIO;
	ext4 *x = xcalloc(1, sizeof *x);
	unsigned lbs = le32(sb + 0x18), lcs = le32(sb + 0x1C);
	x->inodes = le32(sb);
	x->first_data_block = le32(sb + 0x14);
	x->bpg = le32(sb + 0x20);
	x->ipg = le32(sb + 0x28);
	x->isize = le32(sb + 0x4C) == 0 ? 128 : le16(sb + 0x58);
	x->compat = le32(sb + 0x5C);
	x->incompat = le32(sb + 0x60);
	x->ro_compat = le32(sb + 0x64);
	x->desc_size = (x->incompat & EXT4_INCOMPAT_64BIT) ? le16(sb + 0xFE) : 32;
	x->first_meta_bg = le32(sb + 0x104);
	x->backup_bgs[0] = le32(sb + 0x24C);
	x->backup_bgs[1] = le32(sb + 0x250);
	const char *bad = NULL;
	if (lbs > 6)
		bad = "block size";
	else {
		x->log_bs = 10 + lbs;
		x->bs = 1024u << lbs;
		x->cluster = (x->ro_compat & EXT4_RO_COMPAT_BIGALLOC) && lcs <= 16 ? 1024u << lcs : x->bs;
		x->blocks = le32(sb + 4) | ((x->incompat & EXT4_INCOMPAT_64BIT) ? (uint64_t)le32(sb + 0x150) << 32 : 0);
		if (x->blocks > (src->size >> x->log_bs))
			bad = "block count (larger than the volume: a truncated image?)";
	}
	if (!bad && (x->isize < 128 || x->isize > x->bs || x->isize > 4096 || (x->isize & (x->isize - 1))))
		bad = "inode size";
	else if (!bad && (x->ipg == 0 || x->bpg == 0 || x->inodes == 0 || x->first_data_block > 1))
		bad = "group geometry";
	else if (!bad && (x->desc_size < 32 || x->desc_size > 64 || (x->desc_size & (x->desc_size - 1))))
		bad = "descriptor size";
	if (bad) {
		free(x);
		return fs_err(e, EIO, "%s: ext super block: bad %s", src->name, bad);
	}
	x->dpb = x->bs / x->desc_size;
	x->groups = (x->blocks - x->first_data_block + x->bpg - 1) / x->bpg;
	const char *unsup = (x->incompat & EXT4_INCOMPAT_JOURNAL_DEV) ? "an external journal device" :
	                    (x->incompat & EXT4_INCOMPAT_COMPRESSION) ? "compression" :
	                    (x->incompat & EXT4_INCOMPAT_DIRDATA) ? "dirdata (Lustre)" : NULL;
	if (unsup) {
		free(x);
		return fs_err(e, EOPNOTSUPP, "%s: ext file system with %s: not read", src->name, unsup);
	}
	fs->priv = x;
	fs->ops = &ext4_ops;
	fs->type = ext_kind(x);
	fs->root = 2;
	fs->dirty = (x->incompat & EXT4_INCOMPAT_RECOVER) != 0;
	memcpy(fs->label, sb + 0x78, 16);
	fs->label[16] = '\0';
	return 0;
}

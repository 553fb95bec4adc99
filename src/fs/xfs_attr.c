/*
 * xfs_attr.c — XFS extended attributes: the attribute fork
 * (xfs_da_format.h).
 *
 *  - shortform (LOCAL): totsize be16, count u8, pad u8; entries: namelen
 *    u8, valuelen u8, flags u8, name, value;
 *  - otherwise a dabtree in the fork's own block space: block 0 is a leaf
 *    (magic 0xFBEE, v5 0x3BEE, at byte 8 of the block info) or a node
 *    (0xFEBE, v5 0x3EBE: entries of hashval be32, before be32 after a 16-
 *    or 64-byte header holding count be16 and level be16); the leaves are
 *    chained by forw (be32 at 0). A leaf: header (32 bytes v4, 80 v5;
 *    count be16 at 12/56), then entries of hashval be32, nameidx be16,
 *    flags u8, pad u8; at nameidx a local name (valuelen be16, namelen u8,
 *    name, value) or a remote one (valueblk be32, valuelen be32, namelen
 *    u8, name): the value fills blocks from valueblk on, after a 56-byte
 *    header ("XARM") in each on v5.
 * Flags: XFS_ATTR_LOCAL 1, XFS_ATTR_ROOT 2 ("trusted."), XFS_ATTR_SECURE 4
 * ("security."), XFS_ATTR_PARENT 8 (parent pointers: not listed),
 * XFS_ATTR_INCOMPLETE 0x80 (half-made: not listed); none is "user.".
 * POSIX ACLs are the root attributes SGI_ACL_FILE and SGI_ACL_DEFAULT
 * (xfs_acl: count be32, entries of tag be32, id be32, perm be16, pad);
 * the kernel lists them twice: as system.posix_acl_access/default in its
 * xattr form, and as trusted.SGI_ACL_FILE/DEFAULT as stored.
 */
#include "xfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

#define XFS_ATTR_LOCAL 0x1
#define XFS_ATTR_ROOT 0x2
#define XFS_ATTR_SECURE 0x4
#define XFS_ATTR_PARENT 0x8
#define XFS_ATTR_INCOMPLETE 0x80
#define XFS_DA_NODE_MAXDEPTH 5

typedef struct awalk {
	de_fs *fs;
	const xfs_inode *in;
	fs_xattr_cb cb;
	void *arg;
	size_t count;
	int err;
} awalk;

static const char *aname(awalk *w) { return w->fs->src->name; }
static unsigned long long aino(awalk *w) { return (unsigned long long)w->in->ino; }

/* xfs_acl → the kernel's xattr form; -1 when malformed. */
static int acl_convert(const uint8_t *v, size_t n, acl_buf *a)
{
	if (n < 4)
		return -1;
	uint32_t cnt = be32(v);
	if ((uint64_t)cnt * 12 + 4 > n)
		return -1;
	acl_begin(a);
	for (uint32_t i = 0; i < cnt; i++) {
		const uint8_t *p = v + 4 + 12 * (size_t)i;
		uint32_t tag = be32(p), id = be32(p + 4);
		acl_add(a, (uint16_t)tag, be16(p + 8), tag == ACL_USER || tag == ACL_GROUP ? id : ACL_UNDEFINED_ID);
	}
	return 0;
}

/* One attribute: its listed names and values. */
static int emit(awalk *w, unsigned flags, const uint8_t *name, size_t n, const uint8_t *v, size_t vl)
{
	if (flags & (XFS_ATTR_INCOMPLETE | XFS_ATTR_PARENT))
		return 0;
	if (++w->count > FS_MAX_XATTRS) {
		w->err = fs_err(NULL, EFBIG, "x");
		return 1;
	}
	char full[300];
	if (flags & XFS_ATTR_ROOT) {
		const char *sys = NULL;
		if (n == 12 && memcmp(name, "SGI_ACL_FILE", 12) == 0)
			sys = "system.posix_acl_access";
		else if (n == 15 && memcmp(name, "SGI_ACL_DEFAULT", 15) == 0)
			sys = "system.posix_acl_default";
		if (sys) {
			acl_buf a = {0};
			if (acl_convert(v, vl, &a) < 0) {
				free(a.p);
				w->err = -EIO;
				return 1;
			}
			int rc = w->cb(w->arg, sys, a.p, a.n);
			free(a.p);
			if (rc)
				return rc;
		}
		snprintf(full, sizeof full, "trusted.%.*s", (int)n, name);
	} else if (flags & XFS_ATTR_SECURE)
		snprintf(full, sizeof full, "security.%.*s", (int)n, name);
	else
		snprintf(full, sizeof full, "user.%.*s", (int)n, name);
	return w->cb(w->arg, full, v, vl);
}

static int shortform(awalk *w, de_err *e)
{
	const xfs_fork *f = &w->in->attr;
	if (f->size < 4)
		return fs_err(e, EIO, "%s: inode %llu: short form attributes past the fork", aname(w), aino(w));
	size_t tot = be16(f->p), count = f->p[2];
	if (tot > f->size || tot < 4)
		return fs_err(e, EIO, "%s: inode %llu: short form attributes of %zu bytes in a fork of %zu",
		              aname(w), aino(w), tot, f->size);
	size_t off = 4;
	for (size_t i = 0; i < count; i++) {
		if (off + 3 > tot || off + 3 + f->p[off] + f->p[off + 1] > tot)
			return fs_err(e, EIO, "%s: inode %llu: short form attribute %zu past its list",
			              aname(w), aino(w), i);
		size_t n = f->p[off], vl = f->p[off + 1];
		const uint8_t *name = f->p + off + 3;
		int rc = emit(w, f->p[off + 2], name, n, name + n, vl);
		if (rc)
			return rc;
		off += 3 + n + vl;
	}
	return 0;
}

/* A remote value of vl bytes from attr fork block blk on. */
static int remote(awalk *w, uint64_t blk, size_t vl, uint8_t *out, de_err *e)
{
	xfs *x = xfs_of(w->fs);
	size_t hdr = x->version == 5 ? 56 : 0, room = x->bs - hdr;
	uint8_t *b = xmalloc(x->bs);
	int rc = 0;
	for (size_t got = 0; got < vl && rc == 0; blk++) {
		rc = xfs_read_fork(w->fs, w->in, &w->in->attr, blk, b, x->bs, false, e);
		if (rc == 0 && hdr && be32(b) != 0x5841524d)
			rc = fs_err(e, EIO, "%s: inode %llu: remote attribute value block without its header",
			            aname(w), aino(w));
		size_t take = vl - got < room ? vl - got : room;
		if (rc == 0)
			memcpy(out + got, b + hdr, take);
		got += take;
	}
	free(b);
	return rc;
}

static int leaf(awalk *w, const uint8_t *b, uint64_t blk, de_err *e)
{
	xfs *x = xfs_of(w->fs);
	bool v5 = x->version == 5;
	size_t hdr = v5 ? 80 : 32, count = be16(b + (v5 ? 56 : 12));
	if (hdr + 8 * count > x->bs)
		return fs_err(e, EIO, "%s: inode %llu: attribute leaf %llu holds %zu entries", aname(w),
		              aino(w), (unsigned long long)blk, count);
	for (size_t i = 0; i < count; i++) {
		const uint8_t *ent = b + hdr + 8 * i;
		size_t idx = be16(ent + 4);
		unsigned flags = ent[6];
		int rc;
		if (flags & XFS_ATTR_LOCAL) {
			if (idx + 3 > x->bs || idx + 3 + b[idx + 2] + (size_t)be16(b + idx) > x->bs)
				return fs_err(e, EIO, "%s: inode %llu: attribute %zu of leaf %llu past the block",
				              aname(w), aino(w), i, (unsigned long long)blk);
			size_t n = b[idx + 2], vl = be16(b + idx);
			rc = emit(w, flags, b + idx + 3, n, b + idx + 3 + n, vl);
		} else {
			if (idx + 9 > x->bs || idx + 9 + b[idx + 8] > x->bs)
				return fs_err(e, EIO, "%s: inode %llu: attribute %zu of leaf %llu past the block",
				              aname(w), aino(w), i, (unsigned long long)blk);
			size_t n = b[idx + 8], vl = be32(b + idx + 4);
			if (flags & (XFS_ATTR_INCOMPLETE | XFS_ATTR_PARENT))
				continue;
			if (vl > FS_MAX_XATTR)
				return fs_err(e, EFBIG, "%s: inode %llu: attribute value of %zu bytes", aname(w),
				              aino(w), vl);
			uint8_t *v = xmalloc(vl ? vl : 1);
			rc = remote(w, be32(b + idx), vl, v, e);
			if (rc == 0)
				rc = emit(w, flags, b + idx + 9, n, v, vl);
			free(v);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int tree(awalk *w, de_err *e)
{
	xfs *x = xfs_of(w->fs);
	bool v5 = x->version == 5;
	uint8_t *b = xmalloc(x->bs);
	uint64_t blk = 0;
	int rc;
	/* down the leftmost path to the first leaf */
	for (int depth = 0;; depth++) {
		if ((rc = xfs_read_fork(w->fs, w->in, &w->in->attr, blk, b, x->bs, false, e)) < 0)
			goto out;
		unsigned magic = be16(b + 8);
		if (magic == (v5 ? 0x3bee : 0xfbee))
			break;
		if (magic != (v5 ? 0x3ebe : 0xfebe) || depth >= XFS_DA_NODE_MAXDEPTH) {
			rc = fs_err(e, EIO, "%s: inode %llu: attribute block %llu: bad magic 0x%04x", aname(w),
			            aino(w), (unsigned long long)blk, magic);
			goto out;
		}
		size_t hdr = v5 ? 64 : 16;
		if (be16(b + hdr - (v5 ? 8 : 4)) == 0) {
			rc = fs_err(e, EIO, "%s: inode %llu: empty attribute node", aname(w), aino(w));
			goto out;
		}
		blk = be32(b + hdr + 4);
	}
	/* then leaf after leaf along forw, at most as many as the fork has blocks */
	uint64_t max = w->in->nblocks + 1;
	for (uint64_t hops = 0;; hops++) {
		if ((rc = leaf(w, b, blk, e)) != 0 || w->err)
			break;
		uint64_t next = be32(b);
		if (next == 0)
			break;
		if (hops > max || next == blk) {
			rc = fs_err(e, EIO, "%s: inode %llu: attribute leaves loop", aname(w), aino(w));
			break;
		}
		blk = next;
		if ((rc = xfs_read_fork(w->fs, w->in, &w->in->attr, blk, b, x->bs, false, e)) < 0)
			break;
		if (be16(b + 8) != (v5 ? 0x3bee : 0xfbee)) {
			rc = fs_err(e, EIO, "%s: inode %llu: attribute block %llu is no leaf", aname(w),
			            aino(w), (unsigned long long)blk);
			break;
		}
	}
out:
	free(b);
	return rc;
}

int xfs_xattrs(de_fs *fs, uint64_t ino, fs_xattr_cb cb, void *arg, de_err *e)
{
	xfs_inode in;
	int rc = xfs_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	awalk w = {fs, &in, cb, arg, 0, 0};
	switch (in.attr.format) {
	case -1:
		return 0;   /* no attribute fork */
	case XFS_FMT_LOCAL:
		rc = shortform(&w, e);
		break;
	case XFS_FMT_EXTENTS:
	case XFS_FMT_BTREE:
		if (in.attr.format == XFS_FMT_EXTENTS && in.attr.nextents == 0)
			return 0;
		rc = tree(&w, e);
		break;
	default:
		return fs_err(e, EIO, "%s: inode %llu: attribute fork format %d", fs->src->name,
		              (unsigned long long)ino, in.attr.format);
	}
	if (w.err == -EFBIG)
		return fs_err(e, EFBIG, "%s: inode %llu: more than %u xattrs", fs->src->name,
		              (unsigned long long)ino, FS_MAX_XATTRS);
	if (w.err)
		return fs_err(e, EIO, "%s: inode %llu: a malformed POSIX ACL", fs->src->name,
		              (unsigned long long)ino);
	return rc;
}

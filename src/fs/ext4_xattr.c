/*
 * ext4_xattr.c — ext2/3/4 extended attributes.
 *
 * Two places, in this order (the kernel's listxattr order):
 *  - in the inode, after i_extra_isize: le32 magic 0xEA020000 at 128 +
 *    i_extra_isize, then entries to the inode's end; value offsets count
 *    from the first entry;
 *  - in the block i_file_acl (+ high bits): a 32-byte header (magic
 *    0xEA020000, refcount, h_blocks = 1, hash, checksum), entries from
 *    byte 32; value offsets count from the block's start.
 * An entry (ext4_xattr_entry): e_name_len u8 0, e_name_index u8 1,
 * e_value_offs le16 2, e_value_inum le32 4 (ea_inode: the value is that
 * inode's content), e_value_size le32 8, e_hash le32 12, name 16, padded to
 * 4 bytes; a zero le32 ends the list.
 *
 * Name indexes → the names the kernel lists: 1 "user.", 2
 * "system.posix_acl_access", 3 "system.posix_acl_default", 4 "trusted.",
 * 6 "security.". 7 ("system.", holding system.data for inline data) has no
 * handler in the kernel and is not listed; nor are unknown indexes.
 * POSIX ACLs are stored in ext4's compact form (le32 version 1; entries of
 * tag le16, perm le16, and le32 id for ACL_USER and ACL_GROUP only) and
 * given in the kernel's xattr form.
 */
#include "ext4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

typedef struct xwalk {
	de_fs *fs;
	const ext4_inode *in;
	ext4_xattr_raw_cb cb;
	void *arg;
	size_t count;
} xwalk;

/* Entries from p + first to p + end; values at p + vbase + e_value_offs. */
static int parse_entries(xwalk *w, const uint8_t *p, size_t first, size_t end, size_t vbase,
                         const char *where, de_err *e)
{
	ext4 *x = ext4_of(w->fs);
	const char *fsn = w->fs->src->name;
	unsigned long long ino = (unsigned long long)w->in->ino;
	for (size_t off = first; off + 4 <= end && le32(p + off) != 0;) {
		if (off + 16 > end || off + 16 + p[off] > end)
			return fs_err(e, EIO, "%s: inode %llu: xattr entry past the end of the %s", fsn, ino, where);
		if (++w->count > FS_MAX_XATTRS)
			return fs_err(e, EFBIG, "%s: inode %llu: more than %u xattrs", fsn, ino, FS_MAX_XATTRS);
		size_t nlen = p[off];
		unsigned index = p[off + 1];
		size_t voff = le16(p + off + 2), vsize = le32(p + off + 8);
		uint32_t vinum = le32(p + off + 4);
		const char *name = (const char *)p + off + 16;
		if (vsize > FS_MAX_XATTR)
			return fs_err(e, EFBIG, "%s: inode %llu: xattr value of %zu bytes", fsn, ino, vsize);
		uint8_t *own = NULL;
		const uint8_t *value = (const uint8_t *)"";
		if (vinum) {
			if (!(x->incompat & EXT4_INCOMPAT_EA_INODE))
				return fs_err(e, EIO, "%s: inode %llu: xattr value in inode %u without ea_inode",
				              fsn, ino, vinum);
			own = xmalloc(vsize ? vsize : 1);
			int rc = ext4_read_content(w->fs, vinum, vsize, own, e);
			if (rc < 0) {
				free(own);
				return rc;
			}
			value = own;
		} else if (vsize) {
			if (vbase + voff > end || vsize > end - vbase - voff)
				return fs_err(e, EIO, "%s: inode %llu: xattr value (%zu bytes at %zu) past the end "
				              "of the %s", fsn, ino, vsize, voff, where);
			value = p + vbase + voff;
		}
		int rc = w->cb(w->arg, index, name, nlen, value, vsize);
		free(own);
		if (rc)
			return rc;
		off += (16 + nlen + 3) & ~(size_t)3;
	}
	return 0;
}

int ext4_xattrs_raw(de_fs *fs, const ext4_inode *in, ext4_xattr_raw_cb cb, void *arg, de_err *e)
{
	ext4 *x = ext4_of(fs);
	xwalk w = {fs, in, cb, arg, 0};
	int rc = 0;
	if (in->len > EXT4_GOOD_OLD_INODE_SIZE) {
		size_t start = EXT4_GOOD_OLD_INODE_SIZE + le16(in->raw + 0x80);
		if (start + 4 <= in->len && le32(in->raw + start) == EXT4_XATTR_MAGIC)
			rc = parse_entries(&w, in->raw, start + 4, in->len, start + 4, "inode", e);
	}
	uint64_t blk = le32(in->raw + 0x68) | (uint64_t)le16(in->raw + 0x76) << 32;
	if (rc != 0 || blk == 0)
		return rc;
	uint8_t *b = xmalloc(x->bs);
	if ((rc = ext4_read_block(fs, blk, b, e)) == 0) {
		if (le32(b) != EXT4_XATTR_MAGIC || le32(b + 8) != 1)
			rc = fs_err(e, EIO, "%s: inode %llu: xattr block %llu: bad header", fs->src->name,
			            (unsigned long long)in->ino, (unsigned long long)blk);
		else
			rc = parse_entries(&w, b, 32, x->bs, 0, "xattr block", e);
	}
	free(b);
	return rc;
}

typedef struct pub {
	fs_xattr_cb cb;
	void *arg;
	int err;
} pub;

/* ext4's ACL form to the kernel's xattr form; -1 when malformed. */
static int acl_convert(const uint8_t *v, size_t n, acl_buf *a)
{
	if (n < 4 || le32(v) != 1)
		return -1;
	acl_begin(a);
	for (size_t off = 4; off < n;) {
		if (off + 4 > n)
			return -1;
		uint16_t tag = le16(v + off), perm = le16(v + off + 2);
		uint32_t id = ACL_UNDEFINED_ID;
		if (tag == ACL_USER || tag == ACL_GROUP) {
			if (off + 8 > n)
				return -1;
			id = le32(v + off + 4);
			off += 8;
		} else
			off += 4;
		acl_add(a, tag, perm, id);
	}
	return 0;
}

static int pub_cb(void *arg, unsigned index, const char *name, size_t nlen, const uint8_t *value,
                  size_t vlen)
{
	pub *p = arg;
	static const char *const prefix[] = {
		[1] = "user.", [2] = "system.posix_acl_access", [3] = "system.posix_acl_default",
		[4] = "trusted.", [6] = "security.",
	};
	if (index >= sizeof prefix / sizeof *prefix || !prefix[index])
		return 0;   /* system.data and unknown indexes: not listed by the kernel */
	char full[300];
	bool acl = index == 2 || index == 3;
	if (acl)
		snprintf(full, sizeof full, "%s", prefix[index]);
	else
		snprintf(full, sizeof full, "%s%.*s", prefix[index], (int)nlen, name);
	if (!acl)
		return p->cb(p->arg, full, value, vlen);
	acl_buf a = {0};
	int rc;
	if (acl_convert(value, vlen, &a) < 0) {
		p->err = EIO;
		rc = 1;
	} else
		rc = p->cb(p->arg, full, a.p, a.n);
	free(a.p);
	return rc;
}

int ext4_xattrs(de_fs *fs, uint64_t ino, fs_xattr_cb cb, void *arg, de_err *e)
{
	ext4_inode in;
	int rc = ext4_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	pub p = {cb, arg, 0};
	rc = ext4_xattrs_raw(fs, &in, pub_cb, &p, e);
	if (p.err)
		return fs_err(e, p.err, "%s: inode %llu: a malformed POSIX ACL", fs->src->name,
		              (unsigned long long)ino);
	return rc;
}

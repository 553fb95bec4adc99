/*
 * ext4_dir.c — ext2/3/4 directories, read linearly.
 *
 * A directory block is a chain of ext4_dir_entry_2: inode le32 0, rec_len
 * le16 4 (for 64 KiB blocks, 0 or 65535 mean the block size; else the low
 * two bits extend it past 16 bits), name_len u8 6, file_type u8 7 (without
 * the filetype feature, name_len is le16 at 6), name 8. Inode 0 is an
 * unused entry. Hashed (htree) directories read the same way: their index
 * blocks look like one unused entry spanning the block, and the root's
 * ".." entry spans its index data — the compatibility ext2 relied on. The
 * metadata_csum tail (inode 0, rec_len 12, type 0xDE) is an unused entry.
 *
 * Inline directories (INLINE_DATA_FL): i_block holds the parent's inode
 * number (le32) then entries to its 60th byte; the system.data xattr
 * continues them. "." and ".." are implicit there.
 *
 * A damaged entry (rec_len short, unaligned, past the block, or shorter
 * than its name) ends the reading of that block with a warning, as the
 * kernel's readdir does; the other blocks are still read.
 */
#include "ext4.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

typedef struct dirwalk {
	de_fs *fs;
	uint64_t ino;
	fs_dir_cb cb;
	void *arg;
	size_t count;
} dirwalk;

static unsigned ext4_dtype(uint8_t t)
{
	static const unsigned map[8] = {DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK, DT_LNK};
	return t < 8 ? map[t] : DT_UNKNOWN;
}

static size_t rec_len(const uint8_t *p, uint32_t bs)
{
	unsigned v = le16(p + 4);
	if (bs < 65536)
		return v;
	if (v == 65535 || v == 0)
		return bs;
	return (v & 65532) | ((v & 3) << 16);
}

/* Entries in [p, p + len); 1 when cb stopped the walk. */
static int parse_block(dirwalk *w, const uint8_t *p, size_t len, const char *where)
{
	ext4 *x = ext4_of(w->fs);
	bool ftype = x->incompat & EXT4_INCOMPAT_FILETYPE;
	size_t off = 0;
	while (off + 8 <= len) {
		const uint8_t *d = p + off;
		size_t rl = rec_len(d, x->bs);
		size_t nl = ftype ? d[6] : le16(d + 6);
		if (rl < 12 || (rl & 3) || rl > len - off || nl + 8 > rl) {
			de_warn("%s: directory inode %llu, %s at byte %zu: damaged entry (rec_len %zu, "
			        "name_len %zu): the rest of the block not read", w->fs->src->name,
			        (unsigned long long)w->ino, where, off, rl, nl);
			return 0;
		}
		uint32_t ino = le32(d);
		const char *name = (const char *)d + 8;
		bool dot = (nl == 1 && name[0] == '.') || (nl == 2 && name[0] == '.' && name[1] == '.');
		if (ino != 0 && nl != 0 && !dot) {
			if (ino > x->inodes)
				de_warn("%s: directory inode %llu: entry \"%.*s\" names inode %u, past the last "
				        "(%u): left out", w->fs->src->name, (unsigned long long)w->ino, (int)nl,
				        name, ino, x->inodes);
			else {
				if (++w->count > FS_MAX_DIRENTS)
					return fs_err(NULL, EFBIG, "too many entries");
				int rc = w->cb(w->arg, name, nl, ino, ftype ? ext4_dtype(d[7]) : DT_UNKNOWN);
				if (rc)
					return rc;
			}
		}
		off += rl;
	}
	return 0;
}

static int inline_dir(dirwalk *w, const ext4_inode *in, de_err *e)
{
	uint8_t *buf;
	size_t len;
	int rc = ext4_inline(w->fs, in, &buf, &len, e);
	if (rc < 0)
		return rc;
	rc = parse_block(w, buf + 4, EXT4_N_BLOCKS_BYTES - 4, "i_block");
	if (rc == 0 && len > EXT4_N_BLOCKS_BYTES)
		rc = parse_block(w, buf + EXT4_N_BLOCKS_BYTES, len - EXT4_N_BLOCKS_BYTES, "system.data");
	free(buf);
	if (rc == -EFBIG)
		return fs_err(e, EFBIG, "%s: directory inode %llu: more than %u entries",
		              w->fs->src->name, (unsigned long long)w->ino, FS_MAX_DIRENTS);
	return rc;
}

int ext4_readdir(de_fs *fs, uint64_t ino, fs_dir_cb cb, void *arg, de_err *e)
{
	ext4 *x = ext4_of(fs);
	ext4_inode in;
	int rc = ext4_read_inode(fs, ino, &in, e);
	if (rc < 0)
		return rc;
	if (!S_ISDIR(in.mode))
		return fs_err(e, ENOTDIR, "%s: inode %llu is not a directory", fs->src->name,
		              (unsigned long long)ino);
	if (in.flags & EXT4_ENCRYPT_FL)
		return fs_err(e, EOPNOTSUPP, "%s: directory inode %llu is encrypted (fscrypt): not read",
		              fs->src->name, (unsigned long long)ino);
	dirwalk w = {fs, ino, cb, arg, 0};
	if (in.flags & EXT4_INLINE_DATA_FL)
		return inline_dir(&w, &in, e);
	uint64_t nblk = (in.size + x->bs - 1) >> x->log_bs;
	if (nblk > x->blocks)
		return fs_err(e, EIO, "%s: directory inode %llu: size %llu larger than the file system",
		              fs->src->name, (unsigned long long)ino, (unsigned long long)in.size);
	uint8_t *buf = xmalloc(x->bs);
	rc = 0;
	for (uint64_t b = 0; b < nblk && rc == 0;) {
		ext4_map m;
		if ((rc = ext4_map_block(fs, &in, b, &m, e)) < 0)
			break;
		uint64_t run = m.len - (b - m.lblk);
		if (run > nblk - b)
			run = nblk - b;
		for (uint64_t i = 0; i < run && rc == 0 && m.kind == FS_DATA; i++) {
			char where[48];
			snprintf(where, sizeof where, "block %llu", (unsigned long long)(b + i));
			de_err be;
			if (ext4_read_block(fs, m.pblk + (b - m.lblk) + i, buf, &be) < 0) {
				de_warn("%s", be.msg);
				continue;
			}
			rc = parse_block(&w, buf, x->bs, where);
		}
		b += run;
	}
	free(buf);
	if (rc == -EFBIG)
		return fs_err(e, EFBIG, "%s: directory inode %llu: more than %u entries", fs->src->name,
		              (unsigned long long)ino, FS_MAX_DIRENTS);
	return rc;
}

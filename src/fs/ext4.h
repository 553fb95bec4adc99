/*
 * ext4.h — internal to the ext2/3/4 reader (ext4.c: super block, inodes,
 * block maps; ext4_dir.c: directories; ext4_xattr.c: extended attributes).
 * Offsets are the kernel's struct ext4_super_block / ext4_inode /
 * ext4_group_desc (Documentation/filesystems/ext4/), little-endian.
 */
#ifndef DE_EXT4_H
#define DE_EXT4_H

#include "fs_impl.h"

/* feature bits */
#define EXT4_COMPAT_HAS_JOURNAL   0x0004
#define EXT4_COMPAT_SPARSE_SUPER2 0x0200
#define EXT4_INCOMPAT_COMPRESSION 0x0001
#define EXT4_INCOMPAT_FILETYPE    0x0002
#define EXT4_INCOMPAT_RECOVER     0x0004
#define EXT4_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT4_INCOMPAT_META_BG     0x0010
#define EXT4_INCOMPAT_EXTENTS     0x0040
#define EXT4_INCOMPAT_64BIT       0x0080
#define EXT4_INCOMPAT_FLEX_BG     0x0200
#define EXT4_INCOMPAT_EA_INODE    0x0400
#define EXT4_INCOMPAT_DIRDATA     0x1000
#define EXT4_INCOMPAT_INLINE_DATA 0x8000
#define EXT4_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT4_RO_COMPAT_HUGE_FILE  0x0008
#define EXT4_RO_COMPAT_BIGALLOC   0x0200

/* inode flags */
#define EXT4_ENCRYPT_FL     0x00000800
#define EXT4_HUGE_FILE_FL   0x00040000
#define EXT4_EXTENTS_FL     0x00080000
#define EXT4_EA_INODE_FL    0x00200000
#define EXT4_INLINE_DATA_FL 0x10000000

#define EXT4_XATTR_MAGIC 0xEA020000u
#define EXT4_GOOD_OLD_INODE_SIZE 128u
#define EXT4_N_BLOCKS_BYTES 60u     /* i_block: 15 × le32 */

typedef struct ext4 {
	uint32_t bs;                /* block size */
	unsigned log_bs;
	uint64_t blocks;            /* blocks in the file system */
	uint32_t inodes, ipg, bpg, isize, first_data_block, first_meta_bg;
	uint32_t desc_size, dpb;    /* descriptor size, descriptors per block */
	uint64_t groups;
	uint32_t compat, incompat, ro_compat;
	uint32_t backup_bgs[2];
	uint32_t cluster;           /* bytes per cluster (bigalloc), else bs */
} ext4;

/* A raw inode, as read. */
typedef struct ext4_inode {
	uint64_t ino;
	uint8_t raw[4096];          /* the inode: isize bytes (at most 4096: fs_open_ext4) */
	uint32_t len;               /* bytes of raw that are the inode */
	uint32_t flags;
	uint16_t mode;
	uint64_t size;
} ext4_inode;

static inline ext4 *ext4_of(de_fs *fs) { return fs->priv; }

int ext4_read_inode(de_fs *fs, uint64_t ino, ext4_inode *in, de_err *e);
/* The extent of the file holding logical block lblk (hole: phys 0, kind
 * FS_HOLE, up to the next mapped block). In blocks. */
typedef struct ext4_map {
	uint64_t lblk, len, pblk;
	int kind;
} ext4_map;
int ext4_map_block(de_fs *fs, const ext4_inode *in, uint64_t lblk, ext4_map *m, de_err *e);
/* A block of metadata (dir block, xattr block) through the cache. */
int ext4_read_block(de_fs *fs, uint64_t blk, uint8_t *buf, de_err *e);
/* The inline data of an INLINE_DATA inode: i_block's 60 bytes then the
 * system.data xattr; caller frees *out. */
int ext4_inline(de_fs *fs, const ext4_inode *in, uint8_t **out, size_t *len, de_err *e);
/* Reads the content of inode ino (an EA inode's value), at most max bytes. */
int ext4_read_content(de_fs *fs, uint64_t ino, size_t want, uint8_t *buf, de_err *e);

int ext4_readdir(de_fs *fs, uint64_t ino, fs_dir_cb cb, void *arg, de_err *e);
int ext4_xattrs(de_fs *fs, uint64_t ino, fs_xattr_cb cb, void *arg, de_err *e);
/* Every xattr of an inode with its on-disk name index (7 = system. is
 * given too: inline data lives there); the public listing filters. */
typedef int (*ext4_xattr_raw_cb)(void *arg, unsigned index, const char *name, size_t nlen,
                                 const uint8_t *value, size_t vlen);
int ext4_xattrs_raw(de_fs *fs, const ext4_inode *in, ext4_xattr_raw_cb cb, void *arg, de_err *e);

#endif

/*
 * xfs.h — internal to the XFS reader (xfs.c: super block, inodes, forks
 * and their extent maps, files, symlinks; xfs_dir.c: directories;
 * xfs_attr.c: extended attributes). Offsets are the kernel's
 * fs/xfs/libxfs/xfs_format.h and xfs_da_format.h; everything big-endian.
 */
#ifndef DE_XFS_H
#define DE_XFS_H

#include "fs_impl.h"

#define XFS_FMT_DEV     0
#define XFS_FMT_LOCAL   1
#define XFS_FMT_EXTENTS 2
#define XFS_FMT_BTREE   3

#define XFS_DIFLAG_REALTIME 0x1
#define XFS_DIFLAG2_BIGTIME 0x8
#define XFS_DIFLAG2_NREXT64 0x10

#define XFS_SB_FEAT_INCOMPAT_FTYPE   0x1
#define XFS_SB_FEAT_INCOMPAT_NREXT64 0x20
#define XFS_SB_VERSION2_FTYPE 0x200

typedef struct xfs {
	uint32_t bs;             /* block size */
	unsigned blocklog, inodelog, inopblog, agblklog, dirblklog;
	uint32_t isize, agblocks, agcount;
	uint64_t dblocks;
	unsigned version;        /* 4 or 5 */
	bool ftype;              /* directory entries record the file type */
	uint32_t incompat;
} xfs;

static inline xfs *xfs_of(de_fs *fs) { return fs->priv; }

/* A fork of an inode: where its bytes are in the raw inode. */
typedef struct xfs_fork {
	const uint8_t *p;
	size_t size;
	int format;
	uint64_t nextents;
} xfs_fork;

typedef struct xfs_inode {
	uint64_t ino;
	uint8_t raw[2048];       /* isize bytes (at most 2048: XFS_DINODE_MAX_SIZE) */
	uint16_t mode;
	int version;
	uint64_t size;
	uint64_t nblocks;
	uint16_t flags;
	uint64_t flags2;
	xfs_fork data, attr;     /* attr.format < 0: no attribute fork */
} xfs_inode;

int xfs_read_inode(de_fs *fs, uint64_t ino, xfs_inode *in, de_err *e);
/* Whether ino can name an inode of this file system. */
bool xfs_ino_ok(const xfs *x, uint64_t ino);

/* One mapping of a fork: file blocks [off, off + len) at fs block fsb. */
typedef struct xfs_bmap {
	uint64_t off, len, fsb;
	int kind;                /* FS_DATA, FS_UNWRITTEN, or FS_HOLE (fsb unused) */
} xfs_bmap;
/* The mapping holding file block fbno of the fork, or the hole up to the
 * next mapping. */
int xfs_map(de_fs *fs, const xfs_inode *in, const xfs_fork *f, uint64_t fbno, xfs_bmap *m, de_err *e);
/* The byte offset on the source of fs block fsb (count blocks from it must
 * stay in its allocation group). */
int xfs_fsb_to_byte(de_fs *fs, uint64_t fsb, uint64_t count, uint64_t *byte, de_err *e);
/* Reads len bytes of the fork starting at file block fbno (through the
 * metadata cache); a hole is an error (-EIO) unless holes_ok (then 1). */
int xfs_read_fork(de_fs *fs, const xfs_inode *in, const xfs_fork *f, uint64_t fbno, uint8_t *buf,
                  size_t len, bool holes_ok, de_err *e);

int xfs_readdir(de_fs *fs, uint64_t ino, fs_dir_cb cb, void *arg, de_err *e);
int xfs_xattrs(de_fs *fs, uint64_t ino, fs_xattr_cb cb, void *arg, de_err *e);

#endif

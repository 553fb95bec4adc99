/*
 * fs.h — read-only file systems inside a block source: ext2/3/4 (ext4.c)
 * and XFS (xfs.c), read by the project's own readers of the on-disk
 * formats.
 *
 * Why our own readers: what decides a container's view is exactly what the
 * libraries at hand do not give. libyal's libfsext/libfsxfs (Debian's 2020
 * snapshots) expose no extended attributes (overlay's opaque, redirect,
 * metacopy), no device numbers (a 0/0 whiteout against a real character
 * device) and no link counts; The Sleuth Kit reads ext4 (no xattrs in its
 * API either) but not XFS at all. So inodes, extent maps, directories and
 * xattrs are read here, from the formats as the kernel writes them, and
 * proven against the kernel's own loop mount (tests/e2e/t_fsread.sh).
 *
 * Layer: src/fs/ sits on src/image/ (a bsrc) and util; nothing of the
 * containers is known here. It is the second implementation, beside the
 * directory tree, of the evidence source that src/util/evfs will offer.
 *
 * Contract:
 *  - Inode numbers are the file system's own (what the kernel's st_ino,
 *    TSK's fls and istat show). Paths are walked a component at a time
 *    (fs_lookup); the reader never follows a symlink: the caller decides.
 *  - Every function returns 0 or a negative errno and sets e: -ENOENT (no
 *    such name), -ENOTDIR, -EINVAL (not that kind of inode), -EIO (the
 *    file system is damaged here: a block outside it, a bad magic, a
 *    length past its block, a loop), -EOPNOTSUPP (a feature not read:
 *    encryption, realtime XFS files…), -EFBIG (a value over our bounds).
 *    Damage is local: one bad inode or block fails that call only.
 *  - Everything read from the image is hostile: every offset, length and
 *    count is checked against its block before use; trees are walked with
 *    a depth bound; directories and xattr lists with count bounds.
 *  - Memory is bounded: a directory is read a block at a time; metadata
 *    comes through a fixed-size cache (bsrc_cached, 4 MiB per file system).
 *  - The journal is not replayed (as `mount -o ro,noload`): what a crash
 *    left in it is not seen; a file system that says it needs recovery is
 *    read as it stands, and fs_open says so (fs_dirty).
 *  - Times, owners, modes, sizes, link counts, device numbers and xattrs
 *    are what the kernel shows for the same inode: stat(2)'s fields,
 *    listxattr/getxattr's names and values (POSIX ACLs in the kernel's
 *    xattr format; ext4's system.data, XFS parent pointers hidden).
 */
#ifndef DE_FS_H
#define DE_FS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../image/bsrc.h"
#include "../util/diag.h"

/* Bounds on what one file system may make us do. */
#define FS_MAX_NAME     255u           /* bytes in a directory entry's name */
#define FS_MAX_SYMLINK  4096u          /* bytes of a symlink target (PATH_MAX) */
#define FS_MAX_XATTR    (64u << 10)    /* bytes of one xattr value (XATTR_SIZE_MAX) */
#define FS_MAX_XATTRS   4096u          /* xattrs of one inode */
#define FS_MAX_DIRENTS  1000000u       /* entries of one directory (EV_MAX_DIRENTS) */

typedef struct fs_stat {
	uint64_t ino;
	uint32_t mode;          /* st_mode: type and permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size;
	uint64_t blocks;        /* st_blocks: 512-byte units allocated */
	uint32_t rdev_major, rdev_minor;   /* character and block devices */
	struct timespec atime, mtime, ctime, btime;
	bool has_btime;         /* ext4 with large inodes, XFS v5 */
} fs_stat;

/* What a range of a file is (fs_extent). */
enum fs_extent_kind {
	FS_DATA,      /* bytes at phys on the source */
	FS_HOLE,      /* a hole: never allocated, reads as zeros */
	FS_UNWRITTEN, /* allocated but not written (ext4 uninit, XFS unwritten): zeros */
	FS_INLINE,    /* in the inode itself (ext4 inline data) */
};

typedef struct fs_extent {
	uint64_t logical;   /* byte offset in the file */
	uint64_t length;    /* bytes (the last extent ends at the file's size) */
	uint64_t phys;      /* FS_DATA: byte offset on the source */
	int kind;
} fs_extent;

typedef struct de_fs de_fs;
typedef struct fs_file fs_file;

/* Opens the ext2/3/4 or XFS file system on src (borrowed: close it after
 * fs_close). -EINVAL when src holds neither. */
int fs_open(bsrc *src, de_fs **out, de_err *e);
void fs_close(de_fs *fs);
const char *fs_type(const de_fs *fs);        /* "ext2", "ext3", "ext4", "xfs" */
uint64_t fs_root(const de_fs *fs);           /* the root directory's inode */
bool fs_dirty(const de_fs *fs);              /* needs journal recovery (not replayed) */
const char *fs_label(const de_fs *fs);       /* volume label, "" when none */
const char *fs_name(const de_fs *fs);        /* its source's name, for messages */

int fs_lstat(de_fs *fs, uint64_t ino, fs_stat *st, de_err *e);

/* Calls cb for each entry of directory ino but "." and "..", in on-disk
 * order; dtype is DT_* from <dirent.h> (DT_UNKNOWN where the file system
 * does not record it). A nonzero return of cb stops the walk and is
 * returned. */
typedef int (*fs_dir_cb)(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype);
int fs_readdir(de_fs *fs, uint64_t ino, fs_dir_cb cb, void *arg, de_err *e);

/* The inode of name in directory dir: its entries read in order, the
 * first of that name wins; a large directory's names are kept hashed
 * (dcache.c: the last one, bounded) so that lookups in it do not rescan.
 * ".." and "." are refused (-EINVAL): paths are the caller's business. */
int fs_lookup(de_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino, de_err *e);
/* The inode at path ("/a/b", "a/b": from the root), a component at a
 * time, following no symlink: a symlink before the last component is
 * -ELOOP with *ino set to it and *done to the bytes of path consumed
 * through it, so that the caller can resolve it and go on. */
int fs_namei(de_fs *fs, const char *path, uint64_t *ino, size_t *done, de_err *e);

/* A symlink's target (not NUL-terminated in the file system: *target is
 * NUL-terminated here, *len its length; caller frees). */
int fs_readlink(de_fs *fs, uint64_t ino, char **target, size_t *len, de_err *e);

/* Calls cb with each xattr of ino as the kernel names it ("user.x",
 * "trusted.overlay.opaque", "security.capability",
 * "system.posix_acl_access"…), in on-disk order. */
typedef int (*fs_xattr_cb)(void *arg, const char *name, const void *value, size_t len);
int fs_xattrs(de_fs *fs, uint64_t ino, fs_xattr_cb cb, void *arg, de_err *e);
/* One xattr's value (caller frees); -ENODATA when ino has none by that name. */
int fs_getxattr(de_fs *fs, uint64_t ino, const char *name, void **value, size_t *len, de_err *e);

/* A regular file's (or symlink's) content. */
int fs_file_open(de_fs *fs, uint64_t ino, fs_file **out, de_err *e);
uint64_t fs_file_size(const fs_file *f);
/* The extent holding byte off (off < size): data, hole, unwritten or inline. */
int fs_file_extent(fs_file *f, uint64_t off, fs_extent *x, de_err *e);
/* Reads up to len bytes at off (fewer only at the end of the file); holes
 * and unwritten extents read as zeros. *got: bytes read. */
int fs_file_read(fs_file *f, uint64_t off, void *buf, size_t len, size_t *got, de_err *e);
void fs_file_close(fs_file *f);

#endif

/*
 * evh.h — descriptors of evidence: the one seam between what reads the
 * evidence (runtimes, drivers, the union engine, FUSE, every command) and
 * where it lies (a directory tree, or a file system inside a disk image).
 *
 * As The Sleuth Kit layers img → vs → fs, de layers its readers on a
 * descriptor: an int that is either a kernel file descriptor (a tree given
 * with --root: every call below is the system call of that name) or a
 * virtual one (an inode of a file system read from an image, --image: the
 * calls are answered by that file system's reader, src/fs/, registered
 * here through evh_fs_ops so that util knows nothing of it). Code above
 * holds descriptors and calls evh_*: the same code path serves both.
 *
 * Contract:
 *  - Each evh_X behaves as the system call X (return value, errno) for
 *    the flags the evidence readers use; what a virtual descriptor cannot
 *    do (write, O_CREAT, follow a symlink during a lookup) fails with
 *    errno set (EROFS, ELOOP), never silently.
 *  - Virtual descriptors are >= EVH_VIRTUAL, never a kernel fd; closing one
 *    with close(2) would leak it: use evh_close for every descriptor that
 *    came from evh_* or ev_open.
 *  - Lookups of a virtual descriptor walk one component at a time and never
 *    follow a symlink (a symlink before the last component is ELOOP; the
 *    last is opened itself only with O_PATH|O_NOFOLLOW); ".." is refused
 *    (EXDEV): as openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS). In-root
 *    resolution of an imaged host's "/" is evfs.c's business.
 *  - Thread-safe: descriptors may be used from the worker pool's threads.
 */
#ifndef DE_EVH_H
#define DE_EVH_H

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EVH_VIRTUAL (1 << 28)   /* first virtual descriptor */

static inline bool evh_is_virtual(int h)
{
	return h >= EVH_VIRTUAL;
}

/* openat(2): name may hold several components ("a/b/c"). flags: O_RDONLY
 * plus O_DIRECTORY, O_NOFOLLOW, O_PATH, O_CLOEXEC, O_NOATIME (the last two
 * mean nothing for a virtual descriptor). */
int evh_openat(int dirh, const char *name, int flags);
int evh_close(int h);
int evh_dup(int h);

/* fstat(2), fstatat(2) (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH with ""), and
 * statx(2) for the birth time. */
int evh_fstat(int h, struct stat *st);
int evh_fstatat(int dirh, const char *name, struct stat *st, int flags);
int evh_statx(int dirh, const char *name, int flags, unsigned mask, struct statx *stx);

/* readlinkat(2); "" reads the symlink an O_PATH|O_NOFOLLOW descriptor is. */
ssize_t evh_readlinkat(int dirh, const char *name, char *buf, size_t len);

/* Extended attributes, never through a symlink: of an open descriptor, or
 * of the entry name in directory dirh (a symlink's own, as lgetxattr). */
ssize_t evh_fgetxattr(int h, const char *attr, void *buf, size_t len);
ssize_t evh_flistxattr(int h, char *buf, size_t len);
ssize_t evh_getxattrat(int dirh, const char *name, const char *attr, void *buf, size_t len);
ssize_t evh_listxattrat(int dirh, const char *name, char *buf, size_t len);

/* read(2), pread(2), lseek(2) with SEEK_SET/CUR/END/DATA/HOLE. */
ssize_t evh_read(int h, void *buf, size_t len);
ssize_t evh_pread(int h, void *buf, size_t len, off_t off);
off_t evh_lseek(int h, off_t off, int whence);

/* fdopendir(3)/readdir(3)/closedir(3): evh_opendir takes h (closed by
 * evh_closedir, or by evh_opendir when it fails). Entries but "." and ".."
 * are returned (a virtual directory reads its entries at opendir, in
 * on-disk order; a real one in getdents order). d_ino, d_type, d_name set. */
typedef struct evh_dir evh_dir;
evh_dir *evh_opendir(int h);
struct dirent *evh_readdir(evh_dir *d);
int evh_dirfd(evh_dir *d);
int evh_closedir(evh_dir *d);

/* The whole content of a regular file, read-only: mmap(2) for a kernel
 * descriptor, a copy for a virtual one (len must not exceed max: EFBIG).
 * evh_unmap releases what evh_map gave. */
void *evh_map(int h, size_t max, size_t *len);
void evh_unmap(void *p, size_t len, bool virt);

/* The path a descriptor was opened by, for messages: /proc/self/fd's link
 * of a kernel descriptor, "<source>:<path in it>" of a virtual one.
 * Caller frees; NULL when unknown. */
char *evh_path(int h);

/* ------------------------------------------------------------------ */
/* For the implementations of virtual descriptors (src/source/).       */

/* A file system inside an image, as evh sees it: inode numbers and the
 * calls below. Each returns 0 (or a byte count) or a negative errno. */
typedef struct evh_fs_ops {
	int (*lookup)(void *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino);
	int (*stat)(void *fs, uint64_t ino, struct statx *stx);
	/* cb returns nonzero to stop; dtype is DT_*. */
	int (*readdir)(void *fs, uint64_t ino,
	               int (*cb)(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype),
	               void *arg);
	ssize_t (*readlink)(void *fs, uint64_t ino, char *buf, size_t len);
	/* listxattr/getxattr semantics: len 0 asks the size; ERANGE when short;
	 * -ENODATA for a missing attribute. */
	ssize_t (*listxattr)(void *fs, uint64_t ino, char *buf, size_t len);
	ssize_t (*getxattr)(void *fs, uint64_t ino, const char *name, void *buf, size_t len);
	/* Content: open gives a reader kept with the descriptor. */
	int (*open)(void *fs, uint64_t ino, void **file);
	ssize_t (*pread)(void *file, void *buf, size_t len, uint64_t off);
	/* Where data starts at or after off (SEEK_DATA) or the next hole
	 * (SEEK_HOLE); -ENXIO past the end. */
	int64_t (*seek)(void *file, uint64_t off, int whence);
	void (*close)(void *file);
	/* st_dev to show for this file system (unique per source). */
	dev_t dev;
} evh_fs_ops;

/* A descriptor of inode ino of fs, named path (inside its source) in
 * messages; name is the source's name ("case.E01:p2"). -1 and errno. */
int evh_new(const evh_fs_ops *ops, void *fs, const char *name, uint64_t ino, const char *path,
            int flags);
/* The file system and inode behind a virtual descriptor (false for a
 * kernel one). */
bool evh_inode(int h, const evh_fs_ops **ops, void **fs, uint64_t *ino);

#endif

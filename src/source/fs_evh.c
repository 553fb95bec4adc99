/*
 * fs_evh.c — a file system read from an image (src/fs/) as evidence
 * descriptors (src/util/evh.h): the second implementation of the seam,
 * beside the kernel's own descriptors of a directory tree.
 *
 * The readers of src/fs share one block cache per file system and are not
 * made for concurrent calls; the worker pool calls from several threads, so
 * every call into one file system holds its lock. (Reading from an image is
 * bounded by the image's I/O, not by the CPU: the lock costs little.)
 */
#include "source.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../util/diag.h"
#include "../util/strvec.h"

struct src_fs {
	de_fs *fs;
	pthread_mutex_t lock;
	evh_fs_ops ops;      /* ops.dev: this file system's st_dev */
};

typedef struct sfile {
	src_fs *s;
	fs_file *f;
} sfile;

/* What the file system reader found damaged (a block outside it, a bad
 * magic, a length past its block…) is said here with its own words, which
 * name the inode and the block: the descriptor's caller gets errno alone
 * (EIO), and names the path. Not found, not a directory and the like are
 * answers, not damage: they pass in silence. */
static int said(int rc, const de_err *e)
{
	if (rc == -EIO || rc == -EUCLEAN || rc == -EFBIG || rc == -EOPNOTSUPP)
		de_warn("%s", e->msg);
	return rc;
}

#define LOCKED(s, expr)                      \
	({                                    \
		pthread_mutex_lock(&(s)->lock);   \
		__typeof__(expr) r_ = (expr);     \
		pthread_mutex_unlock(&(s)->lock); \
		r_;                               \
	})

static int o_lookup(void *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	src_fs *s = fs;
	de_err e;
	return said(LOCKED(s, fs_lookup(s->fs, dir, name, len, ino, &e)), &e);
}

static struct statx_timestamp ts(struct timespec t)
{
	return (struct statx_timestamp){.tv_sec = t.tv_sec, .tv_nsec = (uint32_t)t.tv_nsec};
}

static int o_stat(void *fs, uint64_t ino, struct statx *x)
{
	src_fs *s = fs;
	de_err e;
	fs_stat st;
	int rc = said(LOCKED(s, fs_lstat(s->fs, ino, &st, &e)), &e);
	if (rc < 0)
		return rc;
	memset(x, 0, sizeof *x);
	x->stx_mask = STATX_BASIC_STATS | (st.has_btime ? STATX_BTIME : 0);
	x->stx_blksize = 4096;
	x->stx_ino = st.ino;
	x->stx_mode = (uint16_t)st.mode;
	x->stx_nlink = st.nlink;
	x->stx_uid = st.uid;
	x->stx_gid = st.gid;
	x->stx_size = st.size;
	x->stx_blocks = st.blocks;
	x->stx_rdev_major = st.rdev_major;
	x->stx_rdev_minor = st.rdev_minor;
	x->stx_dev_major = major(s->ops.dev);
	x->stx_dev_minor = minor(s->ops.dev);
	x->stx_atime = ts(st.atime);
	x->stx_mtime = ts(st.mtime);
	x->stx_ctime = ts(st.ctime);
	if (st.has_btime)
		x->stx_btime = ts(st.btime);
	return 0;
}

static int o_readdir(void *fs, uint64_t ino,
                     int (*cb)(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype),
                     void *arg)
{
	src_fs *s = fs;
	de_err e;
	return said(LOCKED(s, fs_readdir(s->fs, ino, cb, arg, &e)), &e);
}

static ssize_t o_readlink(void *fs, uint64_t ino, char *buf, size_t len)
{
	src_fs *s = fs;
	de_err e;
	char *t;
	size_t tl;
	int rc = said(LOCKED(s, fs_readlink(s->fs, ino, &t, &tl, &e)), &e);
	if (rc < 0)
		return rc;
	size_t n = tl < len ? tl : len;   /* readlink(2) truncates silently */
	memcpy(buf, t, n);
	free(t);
	return (ssize_t)n;
}

typedef struct xlist {
	char *buf;
	size_t cap, len;
} xlist;

static int add_name(void *arg, const char *name, const void *value, size_t len)
{
	(void)value;
	(void)len;
	xlist *l = arg;
	size_t n = strlen(name) + 1;
	if (l->cap && l->len + n <= l->cap)
		memcpy(l->buf + l->len, name, n);
	l->len += n;
	return 0;
}

static ssize_t o_listxattr(void *fs, uint64_t ino, char *buf, size_t len)
{
	src_fs *s = fs;
	de_err e;
	xlist l = {buf, len, 0};
	int rc = said(LOCKED(s, fs_xattrs(s->fs, ino, add_name, &l, &e)), &e);
	if (rc < 0)
		return rc;
	if (len && l.len > len)
		return -ERANGE;
	return (ssize_t)l.len;
}

static ssize_t o_getxattr(void *fs, uint64_t ino, const char *name, void *buf, size_t len)
{
	src_fs *s = fs;
	de_err e;
	void *v;
	size_t vl;
	int rc = said(LOCKED(s, fs_getxattr(s->fs, ino, name, &v, &vl, &e)), &e);
	if (rc < 0)
		return rc;
	ssize_t r = (ssize_t)vl;
	if (len && vl > len)
		r = -ERANGE;
	else if (len)
		memcpy(buf, v, vl);
	free(v);
	return r;
}

static int o_open(void *fs, uint64_t ino, void **file)
{
	src_fs *s = fs;
	de_err e;
	fs_file *f;
	int rc = said(LOCKED(s, fs_file_open(s->fs, ino, &f, &e)), &e);
	if (rc < 0)
		return rc;
	sfile *sf = xmalloc(sizeof *sf);
	*sf = (sfile){s, f};
	*file = sf;
	return 0;
}

static ssize_t o_pread(void *file, void *buf, size_t len, uint64_t off)
{
	sfile *sf = file;
	if (off >= fs_file_size(sf->f))
		return 0;
	de_err e;
	size_t got = 0;
	int rc = said(LOCKED(sf->s, fs_file_read(sf->f, off, buf, len, &got, &e)), &e);
	return rc < 0 ? rc : (ssize_t)got;
}

/* SEEK_DATA and SEEK_HOLE as the kernel answers them for ext4 and XFS: an
 * unwritten extent reads as zeros and counts as a hole; the end of the
 * file is the last hole. */
static int64_t o_seek(void *file, uint64_t off, int whence)
{
	sfile *sf = file;
	uint64_t size = fs_file_size(sf->f);
	for (unsigned guard = 0; off < size && guard < (1u << 24); guard++) {
		fs_extent x;
		de_err e;
		int rc = said(LOCKED(sf->s, fs_file_extent(sf->f, off, &x, &e)), &e);
		if (rc < 0)
			return rc;
		bool data = x.kind == FS_DATA || x.kind == FS_INLINE;
		if (data == (whence == SEEK_DATA))
			return (int64_t)(off > x.logical ? off : x.logical);
		if (x.logical + x.length <= off)
			return -EIO;   /* an extent map that does not advance */
		off = x.logical + x.length;
	}
	if (off >= size)
		return whence == SEEK_DATA ? -ENXIO : (int64_t)size;
	return -EIO;
}

static void o_close(void *file)
{
	sfile *sf = file;
	LOCKED(sf->s, (fs_file_close(sf->f), 0));
	free(sf);
}

src_fs *src_fs_new(de_fs *fs, unsigned n)
{
	src_fs *s = xcalloc(1, sizeof *s);
	s->fs = fs;
	pthread_mutex_init(&s->lock, NULL);
	s->ops = (evh_fs_ops){
		.lookup = o_lookup, .stat = o_stat, .readdir = o_readdir, .readlink = o_readlink,
		.listxattr = o_listxattr, .getxattr = o_getxattr, .open = o_open, .pread = o_pread,
		.seek = o_seek, .close = o_close,
		/* a major no disk driver uses (LANANA's local/experimental 240)
		 * and the volume's index: st_dev tells file systems apart */
		.dev = makedev(240, n),
	};
	return s;
}

void src_fs_free(src_fs *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int src_fs_root(src_fs *s, const char *name)
{
	return evh_new(&s->ops, s, name, fs_root(s->fs), "/", O_PATH | O_DIRECTORY);
}

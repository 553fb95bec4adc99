/*
 * evh.c — see evh.h. Kernel descriptors go straight to the system call;
 * virtual ones are looked up in a table and answered by their file
 * system's ops.
 */
#include "evh.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "diag.h"

#define EVH_MAX (1u << 20)   /* virtual descriptors open at once */

/* The directories from the file system's root to a descriptor's, as
 * opened: a damaged file system can hold a directory entry naming one of
 * its own ancestors, and a walk through it would never end. Shared tails,
 * counted references. */
typedef struct anc {
	uint64_t ino;
	struct anc *up;
	unsigned refs;       /* atomic */
} anc;

static anc *anc_ref(anc *a)
{
	if (a)
		__atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED);
	return a;
}

static void anc_unref(anc *a)
{
	while (a && __atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		anc *up = a->up;
		free(a);
		a = up;
	}
}

static anc *anc_push(anc *up, uint64_t ino)
{
	anc *a = malloc(sizeof *a);
	if (!a)
		return NULL;
	*a = (anc){ino, anc_ref(up), 1};
	return a;
}

static bool anc_has(const anc *a, uint64_t ino)
{
	for (; a; a = a->up)
		if (a->ino == ino)
			return true;
	return false;
}

typedef struct vh {
	const evh_fs_ops *ops;
	void *fs;
	uint64_t ino;
	uint32_t mode;       /* st_mode at open */
	int flags;           /* O_PATH, O_DIRECTORY… as opened */
	char *name;          /* the source's name */
	char *path;          /* inside the source, from its root: "/var/lib/docker" */
	void *file;          /* content reader, opened at the first read */
	anc *anc;            /* directories down to this one (itself included) */
	uint64_t pos;        /* read(2)'s offset */
	pthread_mutex_t lock;   /* pos and file */
} vh;

static pthread_mutex_t tab_lock = PTHREAD_MUTEX_INITIALIZER;
static vh **tab;
static size_t tab_cap, tab_free_hint;

static vh *vh_get(int h)
{
	if (h < EVH_VIRTUAL)
		return NULL;
	size_t i = (size_t)(h - EVH_VIRTUAL);
	pthread_mutex_lock(&tab_lock);
	vh *v = i < tab_cap ? tab[i] : NULL;
	pthread_mutex_unlock(&tab_lock);
	return v;
}

static int vh_put(vh *v)
{
	pthread_mutex_lock(&tab_lock);
	size_t i = tab_free_hint;
	while (i < tab_cap && tab[i])
		i++;
	if (i == tab_cap) {
		size_t ncap = tab_cap ? tab_cap * 2 : 64;
		if (ncap > EVH_MAX) {
			pthread_mutex_unlock(&tab_lock);
			errno = EMFILE;
			return -1;
		}
		vh **n = realloc(tab, ncap * sizeof *n);
		if (!n) {
			pthread_mutex_unlock(&tab_lock);
			errno = ENOMEM;
			return -1;
		}
		memset(n + tab_cap, 0, (ncap - tab_cap) * sizeof *n);
		tab = n;
		tab_cap = ncap;
	}
	tab[i] = v;
	tab_free_hint = i + 1;
	pthread_mutex_unlock(&tab_lock);
	return EVH_VIRTUAL + (int)i;
}

static void vh_free(vh *v)
{
	if (!v)
		return;
	if (v->file)
		v->ops->close(v->file);
	pthread_mutex_destroy(&v->lock);
	anc_unref(v->anc);
	free(v->name);
	free(v->path);
	free(v);
}

static int fail(int err)
{
	errno = err;
	return -1;
}

static char *join(const char *dir, const char *name, size_t len)
{
	size_t dl = strlen(dir);
	bool slash = dl && dir[dl - 1] == '/';
	char *p = malloc(dl + len + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (!slash)
		p[dl++] = '/';
	memcpy(p + dl, name, len);
	p[dl + len] = '\0';
	return p;
}

/* Walks name (one or more components) from directory v without following
 * any symlink but, with follow_last, none either: a symlink met before the
 * last component is ELOOP. On success *ino, *stx and *path (malloc'd) are
 * the last component's. */
static int walk(const vh *v, const char *name, uint64_t *ino, struct statx *stx, char **path,
                anc **chain)
{
	uint64_t cur = v->ino;
	char *p = strdup(v->path);
	if (!p)
		return -ENOMEM;
	anc *a = anc_ref(v->anc);
	/* the starting directory's type is known from its open: its inode is
	 * read again only when it is the answer (no component to walk) */
	stx->stx_mode = (uint16_t)v->mode;
	bool moved = false;
	int rc = 0;
	for (const char *s = name; rc == 0;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		const char *end = strchr(s, '/');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len == 1 && s[0] == '.') {
			s += len;
			continue;
		}
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			rc = -EXDEV;
			break;
		}
		if (!S_ISDIR(stx->stx_mode)) {
			rc = S_ISLNK(stx->stx_mode) ? -ELOOP : -ENOTDIR;
			break;
		}
		if (len > NAME_MAX) {
			rc = -ENAMETOOLONG;
			break;
		}
		uint64_t next;
		rc = v->ops->lookup(v->fs, cur, s, len, &next);
		if (rc == 0)
			rc = v->ops->stat(v->fs, next, stx);
		const char *rest = s + len;
		while (*rest == '/' || (rest[0] == '.' && (rest[1] == '/' || !rest[1])))
			rest++;
		bool last = !*rest;
		if (rc == 0 && S_ISDIR(stx->stx_mode)) {
			/* a directory that is its own ancestor: the file system is
			 * damaged here. Its entry may be looked at (stat), never
			 * entered; EUCLEAN is the kernel's EFSCORRUPTED, what ext4
			 * and XFS answer for a damaged structure. */
			if (anc_has(a, next) && (!last || chain)) {
				rc = -EUCLEAN;
				break;
			}
			anc *n = anc_push(a, next);
			anc_unref(a);
			a = n;
			if (!a)
				rc = -ENOMEM;
		}
		if (rc == 0) {
			char *np = join(p, s, len);
			free(p);
			p = np;
			if (!p)
				rc = -ENOMEM;
			cur = next;
			moved = true;
		}
		s += len;
	}
	if (rc == 0 && !moved)
		rc = v->ops->stat(v->fs, cur, stx);
	if (rc < 0) {
		anc_unref(a);
		free(p);
		return rc;
	}
	*ino = cur;
	*path = p;
	if (chain)
		*chain = a;
	else
		anc_unref(a);
	return 0;
}

int evh_new(const evh_fs_ops *ops, void *fs, const char *name, uint64_t ino, const char *path,
            int flags)
{
	struct statx stx;
	int rc = ops->stat(fs, ino, &stx);
	if (rc < 0)
		return fail(-rc);
	vh *v = calloc(1, sizeof *v);
	if (!v || !(v->name = strdup(name)) || !(v->path = strdup(*path ? path : "/"))) {
		vh_free(v);
		return fail(ENOMEM);
	}
	v->ops = ops;
	v->fs = fs;
	v->ino = ino;
	v->mode = stx.stx_mode;
	v->flags = flags;
	pthread_mutex_init(&v->lock, NULL);
	if (S_ISDIR(stx.stx_mode) && !(v->anc = anc_push(NULL, ino))) {
		vh_free(v);
		return fail(ENOMEM);
	}
	int h = vh_put(v);
	if (h < 0)
		vh_free(v);
	return h;
}

bool evh_inode(int h, const evh_fs_ops **ops, void **fs, uint64_t *ino)
{
	vh *v = vh_get(h);
	if (!v)
		return false;
	if (ops)
		*ops = v->ops;
	if (fs)
		*fs = v->fs;
	if (ino)
		*ino = v->ino;
	return true;
}

int evh_openat(int dirh, const char *name, int flags)
{
	if (!evh_is_virtual(dirh))
		return openat(dirh, name, flags);
	vh *d = vh_get(dirh);
	if (!d)
		return fail(EBADF);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return fail(EROFS);
	uint64_t ino;
	struct statx stx;
	char *path;
	anc *chain;
	int rc = walk(d, name, &ino, &stx, &path, &chain);
	if (rc < 0)
		return fail(-rc);
	if (S_ISLNK(stx.stx_mode) && !((flags & O_PATH) && (flags & O_NOFOLLOW)))
		rc = -ELOOP;   /* never followed here: the caller resolves links */
	else if ((flags & O_DIRECTORY) && !S_ISDIR(stx.stx_mode))
		rc = -ENOTDIR;
	int h = -1;
	if (rc == 0) {
		vh *v = calloc(1, sizeof *v);
		if (v && (v->name = strdup(d->name))) {
			v->ops = d->ops;
			v->fs = d->fs;
			v->ino = ino;
			v->mode = stx.stx_mode;
			v->flags = flags;
			v->path = path;
			v->anc = chain;
			path = NULL;
			chain = NULL;
			pthread_mutex_init(&v->lock, NULL);
			h = vh_put(v);
			if (h < 0)
				vh_free(v);
		} else {
			free(v);
			errno = ENOMEM;
		}
	} else {
		errno = -rc;
	}
	anc_unref(chain);
	free(path);
	return h;
}

int evh_close(int h)
{
	if (!evh_is_virtual(h))
		return close(h);
	size_t i = (size_t)(h - EVH_VIRTUAL);
	pthread_mutex_lock(&tab_lock);
	vh *v = i < tab_cap ? tab[i] : NULL;
	if (v) {
		tab[i] = NULL;
		if (i < tab_free_hint)
			tab_free_hint = i;
	}
	pthread_mutex_unlock(&tab_lock);
	if (!v)
		return fail(EBADF);
	vh_free(v);
	return 0;
}

int evh_dup(int h)
{
	if (!evh_is_virtual(h))
		return fcntl(h, F_DUPFD_CLOEXEC, 0);
	vh *v = vh_get(h);
	if (!v)
		return fail(EBADF);
	vh *n = calloc(1, sizeof *n);
	if (!n || !(n->name = strdup(v->name)) || !(n->path = strdup(v->path))) {
		vh_free(n);
		return fail(ENOMEM);
	}
	n->ops = v->ops;
	n->fs = v->fs;
	n->ino = v->ino;
	n->mode = v->mode;
	n->flags = v->flags;
	n->anc = anc_ref(v->anc);
	pthread_mutex_init(&n->lock, NULL);
	int r = vh_put(n);
	if (r < 0)
		vh_free(n);
	return r;
}

static void stat_of(const vh *v, const struct statx *x, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_dev = v->ops->dev;
	st->st_ino = x->stx_ino;
	st->st_mode = x->stx_mode;
	st->st_nlink = x->stx_nlink;
	st->st_uid = x->stx_uid;
	st->st_gid = x->stx_gid;
	st->st_rdev = makedev(x->stx_rdev_major, x->stx_rdev_minor);
	st->st_size = (off_t)x->stx_size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)x->stx_blocks;
	st->st_atim = (struct timespec){x->stx_atime.tv_sec, x->stx_atime.tv_nsec};
	st->st_mtim = (struct timespec){x->stx_mtime.tv_sec, x->stx_mtime.tv_nsec};
	st->st_ctim = (struct timespec){x->stx_ctime.tv_sec, x->stx_ctime.tv_nsec};
}

/* statx of name below v (or v itself for ""), never through a symlink. */
static int vstatx(vh *v, const char *name, int flags, struct statx *x)
{
	uint64_t ino;
	char *path;
	int rc = walk(v, name ? name : "", &ino, x, &path, NULL);
	if (rc < 0)
		return rc;
	free(path);
	if (S_ISLNK(x->stx_mode) && !(flags & AT_SYMLINK_NOFOLLOW) && name && *name)
		return -ELOOP;
	return 0;
}

int evh_fstat(int h, struct stat *st)
{
	if (!evh_is_virtual(h))
		return fstat(h, st);
	return evh_fstatat(h, "", st, AT_EMPTY_PATH);
}

int evh_fstatat(int dirh, const char *name, struct stat *st, int flags)
{
	if (!evh_is_virtual(dirh))
		return fstatat(dirh, name, st, flags);
	vh *v = vh_get(dirh);
	if (!v)
		return fail(EBADF);
	struct statx x;
	int rc = vstatx(v, name, flags, &x);
	if (rc < 0)
		return fail(-rc);
	stat_of(v, &x, st);
	return 0;
}

int evh_statx(int dirh, const char *name, int flags, unsigned mask, struct statx *stx)
{
	if (!evh_is_virtual(dirh))
		return statx(dirh, name, flags, mask, stx);
	vh *v = vh_get(dirh);
	if (!v)
		return fail(EBADF);
	int rc = vstatx(v, name, flags, stx);
	return rc < 0 ? fail(-rc) : 0;
}

/* The inode of name below v ("" is v), the last component not followed. */
static int vlookup(vh *v, const char *name, uint64_t *ino, uint32_t *mode)
{
	struct statx x;
	char *path;
	int rc = walk(v, name ? name : "", ino, &x, &path, NULL);
	if (rc == 0) {
		free(path);
		*mode = x.stx_mode;
	}
	return rc;
}

/* The descriptor h and the inode of name below it: the calls by name. */
static int ventry(int h, const char *name, vh **v, uint64_t *ino, uint32_t *mode)
{
	*v = vh_get(h);
	return *v ? vlookup(*v, name, ino, mode) : -EBADF;
}

ssize_t evh_readlinkat(int dirh, const char *name, char *buf, size_t len)
{
	if (!evh_is_virtual(dirh))
		return readlinkat(dirh, name, buf, len);
	vh *v;
	uint64_t ino;
	uint32_t mode;
	int rc = ventry(dirh, name, &v, &ino, &mode);
	if (rc == 0 && !S_ISLNK(mode))
		rc = -EINVAL;
	ssize_t n = rc < 0 ? rc : v->ops->readlink(v->fs, ino, buf, len);
	return n < 0 ? fail((int)-n) : n;
}

ssize_t evh_fgetxattr(int h, const char *attr, void *buf, size_t len)
{
	if (!evh_is_virtual(h))
		return fgetxattr(h, attr, buf, len);
	return evh_getxattrat(h, "", attr, buf, len);
}

ssize_t evh_flistxattr(int h, char *buf, size_t len)
{
	if (!evh_is_virtual(h))
		return flistxattr(h, buf, len);
	return evh_listxattrat(h, "", buf, len);
}

/* A kernel directory's entry by name, never through a symlink: the
 * /proc/self/fd path of the directory with l*xattr (there is no
 * fgetxattrat in Linux before 6.13). */
static int proc_path(int dirh, const char *name, char *p, size_t cap)
{
	int n = snprintf(p, cap, "/proc/self/fd/%d/%s", dirh, *name ? name : ".");
	return n < 0 || (size_t)n >= cap ? fail(ENAMETOOLONG) : 0;
}

ssize_t evh_getxattrat(int dirh, const char *name, const char *attr, void *buf, size_t len)
{
	if (!evh_is_virtual(dirh)) {
		char p[PATH_MAX];
		if (!*name)
			return fgetxattr(dirh, attr, buf, len);
		return proc_path(dirh, name, p, sizeof p) < 0 ? -1 : lgetxattr(p, attr, buf, len);
	}
	vh *v;
	uint64_t ino;
	uint32_t mode;
	int rc = ventry(dirh, name, &v, &ino, &mode);
	ssize_t n = rc < 0 ? rc : v->ops->getxattr(v->fs, ino, attr, buf, len);
	return n < 0 ? fail((int)-n) : n;
}

ssize_t evh_listxattrat(int dirh, const char *name, char *buf, size_t len)
{
	if (!evh_is_virtual(dirh)) {
		char p[PATH_MAX];
		if (!*name)
			return flistxattr(dirh, buf, len);
		return proc_path(dirh, name, p, sizeof p) < 0 ? -1 : llistxattr(p, buf, len);
	}
	vh *v;
	uint64_t ino;
	uint32_t mode;
	int rc = ventry(dirh, name, &v, &ino, &mode);
	ssize_t n = rc < 0 ? rc : v->ops->listxattr(v->fs, ino, buf, len);
	return n < 0 ? fail((int)-n) : n;
}

/* The content reader of v, opened at the first read; v->lock held. */
static int vfile(vh *v)
{
	if (v->file)
		return 0;
	if (v->flags & O_PATH)
		return -EBADF;
	if (S_ISDIR(v->mode))
		return -EISDIR;
	if (!S_ISREG(v->mode) && !S_ISLNK(v->mode))
		return -EINVAL;
	return v->ops->open(v->fs, v->ino, &v->file);
}

ssize_t evh_pread(int h, void *buf, size_t len, off_t off)
{
	if (!evh_is_virtual(h))
		return pread(h, buf, len, off);
	vh *v = vh_get(h);
	if (!v)
		return fail(EBADF);
	if (off < 0)
		return fail(EINVAL);
	pthread_mutex_lock(&v->lock);
	int rc = vfile(v);
	ssize_t n = rc < 0 ? rc : v->ops->pread(v->file, buf, len, (uint64_t)off);
	pthread_mutex_unlock(&v->lock);
	return n < 0 ? fail((int)-n) : n;
}

ssize_t evh_read(int h, void *buf, size_t len)
{
	if (!evh_is_virtual(h))
		return read(h, buf, len);
	vh *v = vh_get(h);
	if (!v)
		return fail(EBADF);
	pthread_mutex_lock(&v->lock);
	int rc = vfile(v);
	ssize_t n = rc < 0 ? rc : v->ops->pread(v->file, buf, len, v->pos);
	if (n > 0)
		v->pos += (uint64_t)n;
	pthread_mutex_unlock(&v->lock);
	return n < 0 ? fail((int)-n) : n;
}

off_t evh_lseek(int h, off_t off, int whence)
{
	if (!evh_is_virtual(h))
		return lseek(h, off, whence);
	vh *v = vh_get(h);
	if (!v)
		return fail(EBADF);
	struct statx x;
	int rc = v->ops->stat(v->fs, v->ino, &x);
	if (rc < 0)
		return fail(-rc);
	int64_t to = -EINVAL;
	pthread_mutex_lock(&v->lock);
	switch (whence) {
	case SEEK_SET: to = off; break;
	case SEEK_CUR: to = (int64_t)v->pos + off; break;
	case SEEK_END: to = (int64_t)x.stx_size + off; break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || (uint64_t)off >= x.stx_size)
			to = -ENXIO;
		else if ((rc = vfile(v)) < 0)
			to = rc;
		else
			to = v->ops->seek(v->file, (uint64_t)off, whence);
		break;
	}
	if (to >= 0)
		v->pos = (uint64_t)to;
	pthread_mutex_unlock(&v->lock);
	if (to < 0)
		return fail((int)-to);
	return (off_t)to;
}

/* ---- directories ---- */

typedef struct vent {
	uint64_t ino;
	unsigned char type;
	char *name;
} vent;

struct evh_dir {
	int h;
	DIR *d;              /* a kernel directory */
	vent *v;             /* a virtual one's entries */
	size_t n, cap, i;
	int err;
	struct dirent ent;
};

static int collect(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	evh_dir *d = arg;
	if (len == 0 || len > NAME_MAX || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 64;
		vent *nv = realloc(d->v, ncap * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		d->v = nv;
		d->cap = ncap;
	}
	char *s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, name, len);
	s[len] = '\0';
	d->v[d->n++] = (vent){ino, (unsigned char)dtype, s};
	return 0;
}

evh_dir *evh_opendir(int h)
{
	evh_dir *d = calloc(1, sizeof *d);
	if (!d) {
		evh_close(h);
		errno = ENOMEM;
		return NULL;
	}
	d->h = h;
	if (!evh_is_virtual(h)) {
		if (!(d->d = fdopendir(h))) {
			int err = errno;
			close(h);
			free(d);
			errno = err;
			return NULL;
		}
		return d;
	}
	vh *v = vh_get(h);
	int rc = !v ? -EBADF : !S_ISDIR(v->mode) ? -ENOTDIR : v->ops->readdir(v->fs, v->ino, collect, d);
	if (rc < 0) {
		evh_closedir(d);
		errno = -rc;
		return NULL;
	}
	return d;
}

struct dirent *evh_readdir(evh_dir *d)
{
	if (d->d) {
		struct dirent *de;
		while ((de = readdir(d->d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				return de;
		return NULL;
	}
	if (d->i >= d->n)
		return NULL;
	vent *x = &d->v[d->i++];
	memset(&d->ent, 0, offsetof(struct dirent, d_name));
	d->ent.d_ino = x->ino;
	d->ent.d_type = x->type;
	snprintf(d->ent.d_name, sizeof d->ent.d_name, "%s", x->name);
	return &d->ent;
}

int evh_dirfd(evh_dir *d)
{
	return d->d ? dirfd(d->d) : d->h;
}

int evh_closedir(evh_dir *d)
{
	if (!d)
		return 0;
	int rc = 0;
	if (d->d)
		rc = closedir(d->d);
	else
		evh_close(d->h);
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	free(d);
	return rc;
}

/* ---- whole files and names ---- */

void *evh_map(int h, size_t max, size_t *len)
{
	struct stat st;
	if (evh_fstat(h, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return NULL;
	}
	if ((uint64_t)st.st_size > max) {
		errno = EFBIG;
		return NULL;
	}
	*len = (size_t)st.st_size;
	if (!evh_is_virtual(h)) {
		void *p = mmap(NULL, *len ? *len : 1, PROT_READ, MAP_PRIVATE, h, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	char *p = malloc(*len ? *len : 1);
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	for (size_t done = 0; done < *len;) {
		ssize_t n = evh_pread(h, p + done, *len - done, (off_t)done);
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			free(p);
			errno = err;
			return NULL;
		}
		done += (size_t)n;
	}
	return p;
}

void evh_unmap(void *p, size_t len, bool virt)
{
	if (!p)
		return;
	if (virt)
		free(p);
	else
		munmap(p, len ? len : 1);
}

char *evh_path(int h)
{
	if (!evh_is_virtual(h)) {
		char link[64], buf[PATH_MAX];
		snprintf(link, sizeof link, "/proc/self/fd/%d", h);
		ssize_t n = readlink(link, buf, sizeof buf - 1);
		if (n < 0)
			return NULL;
		buf[n] = '\0';
		return strdup(buf);
	}
	vh *v = vh_get(h);
	if (!v)
		return NULL;
	size_t n = strlen(v->name) + strlen(v->path) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s:%s", v->name, v->path);
	return p;
}

/*
 * fs.c — see fs.h: the choice of reader, path lookup, xattr lookup, file
 * content from the readers' extent maps, and the helpers they share.
 */
#include "fs_impl.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

#define FS_CACHE_SLOT  4096u
#define FS_CACHE_SLOTS 1024u   /* 4 MiB of metadata per file system */

int fs_err(de_err *e, int err, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return -err;
}

int fs_open(bsrc *src, de_fs **out, de_err *e)
{
	de_fs *fs = xcalloc(1, sizeof *fs);
	fs->src = src;
	fs->dcache = dc_new();
	fs->meta = bsrc_cached(src, FS_CACHE_SLOT, FS_CACHE_SLOTS, e);
	if (!fs->meta) {
		dc_free(fs->dcache);
		free(fs);
		return -EINVAL;
	}
	uint8_t probe[2048] = {0};
	size_t n = src->size < sizeof probe ? (size_t)src->size : sizeof probe;
	int rc;
	if (bsrc_read(src, 0, probe, n, e) < 0)
		rc = -EIO;
	else if (n >= 1082 && le16(probe + 1024 + 56) == 0xEF53)
		rc = fs_open_ext4(src, fs, e);
	else if (n >= 4 && memcmp(probe, "XFSB", 4) == 0)
		rc = fs_open_xfs(src, fs, e);
	else
		rc = fs_err(e, EINVAL, "%s: no ext2/3/4 or XFS file system", src->name);
	if (rc < 0) {
		bsrc_close(fs->meta);
		dc_free(fs->dcache);
		free(fs);
		return rc;
	}
	*out = fs;
	return 0;
}

void fs_close(de_fs *fs)
{
	if (!fs)
		return;
	if (fs->ops && fs->ops->close)
		fs->ops->close(fs);
	bsrc_close(fs->meta);
	dc_free(fs->dcache);
	free(fs);
}

const char *fs_type(const de_fs *fs) { return fs->type; }
uint64_t fs_root(const de_fs *fs) { return fs->root; }
bool fs_dirty(const de_fs *fs) { return fs->dirty; }
const char *fs_label(const de_fs *fs) { return fs->label; }
const char *fs_name(const de_fs *fs) { return fs->src->name; }

int fs_lstat(de_fs *fs, uint64_t ino, fs_stat *st, de_err *e)
{
	memset(st, 0, sizeof *st);
	return fs->ops->stat(fs, ino, st, e);
}

int fs_readdir(de_fs *fs, uint64_t ino, fs_dir_cb cb, void *arg, de_err *e)
{
	return fs->ops->readdir(fs, ino, cb, arg, e);
}

int fs_readlink(de_fs *fs, uint64_t ino, char **target, size_t *len, de_err *e)
{
	*target = NULL;
	*len = 0;
	return fs->ops->readlink(fs, ino, target, len, e);
}

int fs_xattrs(de_fs *fs, uint64_t ino, fs_xattr_cb cb, void *arg, de_err *e)
{
	return fs->ops->xattrs(fs, ino, cb, arg, e);
}

/* ---- lookup ---- */

int fs_lookup(de_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino, de_err *e)
{
	if (len == 0 || len > FS_MAX_NAME || memchr(name, '/', len) ||
	    (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return fs_err(e, EINVAL, "%s: \"%.*s\": not a name to look up", fs->src->name,
		              (int)(len > 64 ? 64 : len), name);
	int rc = dc_find(fs->dcache, dir, name, len, ino);
	if (rc < 0)
		rc = dc_scan(fs, fs->dcache, dir, name, len, ino, e);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return fs_err(e, ENOENT, "%s: inode %llu has no entry \"%.*s\"", fs->src->name,
		              (unsigned long long)dir, (int)len, name);
	return 0;
}

int fs_namei(de_fs *fs, const char *path, uint64_t *ino, size_t *done, de_err *e)
{
	uint64_t cur = fs->root;
	size_t i = 0, n = strlen(path);
	*done = 0;
	while (i < n) {
		while (i < n && path[i] == '/')
			i++;
		size_t j = i;
		while (j < n && path[j] != '/')
			j++;
		if (j == i)
			break;
		if (j - i == 1 && path[i] == '.') {
			i = j;
			continue;
		}
		uint64_t next;
		int rc = fs_lookup(fs, cur, path + i, j - i, &next, e);
		if (rc < 0)
			return rc;
		cur = next;
		*done = i = j;
		while (i < n && path[i] == '/')
			i++;
		if (i >= n)
			break;
		fs_stat st;
		if ((rc = fs_lstat(fs, cur, &st, e)) < 0)
			return rc;
		if (S_ISLNK(st.mode)) {
			*ino = cur;
			return fs_err(e, ELOOP, "%s: %.*s is a symlink", fs->src->name, (int)*done, path);
		}
		if (!S_ISDIR(st.mode))
			return fs_err(e, ENOTDIR, "%s: %.*s is not a directory", fs->src->name, (int)*done, path);
	}
	*ino = cur;
	*done = n;
	return 0;
}

/* ---- xattrs ---- */

typedef struct getx {
	const char *name;
	void *value;
	size_t len;
	bool found;
} getx;

static int getx_cb(void *arg, const char *name, const void *value, size_t len)
{
	getx *g = arg;
	if (strcmp(name, g->name) != 0)
		return 0;
	g->value = xmalloc(len ? len : 1);
	memcpy(g->value, value, len);
	g->len = len;
	g->found = true;
	return 1;
}

int fs_getxattr(de_fs *fs, uint64_t ino, const char *name, void **value, size_t *len, de_err *e)
{
	getx g = {name, NULL, 0, false};
	int rc = fs_xattrs(fs, ino, getx_cb, &g, e);
	if (rc < 0)
		return rc;
	if (!g.found)
		return fs_err(e, ENODATA, "%s: inode %llu has no xattr %s", fs->src->name,
		              (unsigned long long)ino, name);
	*value = g.value;
	*len = g.len;
	return 0;
}

void acl_begin(acl_buf *a)
{
	a->n = 0;
	acl_add(a, 0, 0, 0);   /* room for the header */
	a->n = 4;
	put_le32(a->p, 2);     /* POSIX_ACL_XATTR_VERSION */
}

void acl_add(acl_buf *a, uint16_t tag, uint16_t perm, uint32_t id)
{
	if (a->n + 8 > a->cap)
		a->p = xrealloc(a->p, a->cap = a->cap ? a->cap * 2 : 64);
	put_le16(a->p + a->n, tag);
	put_le16(a->p + a->n + 2, perm);
	put_le32(a->p + a->n + 4, id);
	a->n += 8;
}

unsigned fs_dtype(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return DT_REG;
	case S_IFDIR: return DT_DIR;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	case S_IFIFO: return DT_FIFO;
	case S_IFSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

/* ---- file content ---- */

int fs_file_open(de_fs *fs, uint64_t ino, fs_file **out, de_err *e)
{
	fs_file *f = xcalloc(1, sizeof *f);
	f->fs = fs;
	f->ino = ino;
	int rc = fs->ops->file_open(fs, ino, f, e);
	if (rc < 0) {
		free(f->inl);
		free(f);
		return rc;
	}
	*out = f;
	return 0;
}

uint64_t fs_file_size(const fs_file *f) { return f->size; }

int fs_file_extent(fs_file *f, uint64_t off, fs_extent *x, de_err *e)
{
	if (off >= f->size)
		return fs_err(e, EINVAL, "%s: inode %llu: offset %llu at or past its end (%llu)",
		              f->fs->src->name, (unsigned long long)f->ino, (unsigned long long)off,
		              (unsigned long long)f->size);
	if (f->have_last && off >= f->last.logical && off - f->last.logical < f->last.length) {
		*x = f->last;
		return 0;
	}
	if (f->inl) {
		*x = (fs_extent){0, f->size, 0, FS_INLINE};
	} else {
		int rc = f->fs->ops->file_extent(f, off, x, e);
		if (rc < 0)
			return rc;
		if (off < x->logical || off - x->logical >= x->length)
			return fs_err(e, EIO, "%s: inode %llu: extent map does not cover offset %llu",
			              f->fs->src->name, (unsigned long long)f->ino, (unsigned long long)off);
	}
	if (x->logical + x->length > f->size || x->logical + x->length < x->logical)
		x->length = f->size - x->logical;   /* blocks past EOF are not the file's */
	f->last = *x;
	f->have_last = true;
	return 0;
}

int fs_file_read(fs_file *f, uint64_t off, void *buf, size_t len, size_t *got, de_err *e)
{
	uint8_t *p = buf;
	*got = 0;
	if (off >= f->size)
		return 0;
	if (len > f->size - off)
		len = (size_t)(f->size - off);
	while (len) {
		fs_extent x;
		int rc = fs_file_extent(f, off, &x, e);
		if (rc < 0)
			return rc;
		uint64_t in = off - x.logical;
		size_t take = len < x.length - in ? len : (size_t)(x.length - in);
		if (x.kind == FS_DATA) {
			if (bsrc_read(f->fs->src, x.phys + in, p, take, e) < 0)
				return -EIO;   /* e names the source and the offset */
		} else if (x.kind == FS_INLINE)
			memcpy(p, f->inl + in, take);
		else
			memset(p, 0, take);
		p += take;
		off += take;
		len -= take;
		*got += take;
	}
	return 0;
}

void fs_file_close(fs_file *f)
{
	if (!f)
		return;
	if (f->fs->ops->file_close)
		f->fs->ops->file_close(f);
	free(f->inl);
	free(f);
}

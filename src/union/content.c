/*
 * content.c — file content (metacopy-aware) and file xattrs of the view.
 */
#include "union_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../util/evh.h"
#include "rules.h"

/* ---- content and xattrs -------------------------------------------------------- */

/* O_NONBLOCK: should a regular file be swapped for a fifo between the
 * stat and the open, the open must not hang (for a regular file the flag
 * changes nothing). */
int open_file_at(int dirfd, const char *name)
{
	int fl = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	int fd = evh_openat(dirfd, name, fl | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = evh_openat(dirfd, name, fl);
	return fd;
}

/* Opens path (canonical) inside one layer alone, never through a symlink. */
static int open_in_layer(int layerfd, const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *prev = NULL;
	int fd = evh_dup(layerfd), err = 0;
	for (char *c = strtok_r(copy, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, ".") || !strcmp(c, "..")) {   /* never out of the layer */
			evh_close(fd);
			fd = -1;
			err = ENOENT;
			break;
		}
		if (prev) {
			int nfd = open_dir_at(fd, prev);
			err = errno;
			evh_close(fd);
			fd = nfd;
		}
		prev = c;
	}
	int res = -1;
	if (fd >= 0 && prev) {
		res = open_file_at(fd, prev);
		err = errno;
	}
	if (fd >= 0)
		evh_close(fd);
	free(copy);
	errno = err;
	return res;
}

/* overlay metacopy: the data is in the next layer below that has the file
 * (at its redirect path, when the copy-up recorded one) with data. */
static int open_metacopy_data(un_fs *fs, const char *path, int layer, int dirfd,
                              const char *name, de_err *e)
{
	char redirect[4096];
	ssize_t n = ovl_getxattr_at(dirfd, name, "redirect", redirect, sizeof redirect - 1);
	const char *where = path;
	if (n > 0 && redirect[0] == '/') {
		redirect[n] = '\0';
		if (!ovl_redirect_valid(redirect))   /* "/../../etc/shadow" */
			return de_fail(e, "%s: metacopy with an invalid redirect \"%s\"", path,
			               redirect);
		where = redirect;
	}
	for (size_t j = (size_t)layer + 1; j < fs->nlayers; j++) {
		int fd = open_in_layer(fs->layers[j].fd, where);
		if (fd < 0)
			continue;
		struct stat st;
		if (evh_fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			char v[64];
			if (evh_fgetxattr(fd, OVL_TRUSTED "metacopy", v, sizeof v) < 0 &&
			    evh_fgetxattr(fd, OVL_USER "metacopy", v, sizeof v) < 0)
				return fd;
		}
		evh_close(fd);
	}
	return de_fail(e, "%s: metadata-only copy (metacopy) whose data is in no lower layer",
	               path);
}

int un_open(un_fs *fs, const char *path, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, false, &l, e) < 0)
		return -1;
	int fd;
	if (!S_ISREG(l.node.st.st_mode))
		fd = de_fail(e, "%s: not a regular file", l.path);
	else if (l.node.metacopy)
		fd = open_metacopy_data(fs, l.path, l.node.layer, l.efd, l.ename, e);
	else if ((fd = open_file_at(l.efd, l.ename)) < 0)
		de_fail_errno(e, errno, "%s (layer %s)", l.path, un_layer_label(fs, l.node.layer));
	loc_free(&l);
	return fd;
}

int un_walk_open(un_fs *fs, const un_walk_entry *ent, de_err *e)
{
	if (ent->node->metacopy)
		return open_metacopy_data(fs, ent->path, ent->node->layer, ent->dirfd, ent->at, e);
	int fd = open_file_at(ent->dirfd, ent->at);
	if (fd < 0)
		de_fail_errno(e, errno, "%s (layer %s)", ent->path,
		              un_layer_label(fs, ent->node->layer));
	return fd;
}

char *un_walk_readlink(const un_walk_entry *ent, de_err *e)
{
	return readlink_at(ent->dirfd, ent->at, ent->path, e);
}

#define XATTR_LIST_MAX_BYTES 65536

/* fd >= 0: by descriptor; else name in dirfd. */
static ssize_t list_raw(int fd, int dirfd, const char *name, char *buf, size_t len)
{
	return fd >= 0 ? evh_flistxattr(fd, buf, len) : xattr_list_at(dirfd, name, buf, len);
}

static ssize_t get_raw(int fd, int dirfd, const char *name, const char *attr, void *buf,
                       size_t len)
{
	return fd >= 0 ? evh_fgetxattr(fd, attr, buf, len) : xattr_get_at(dirfd, name, attr, buf, len);
}

static int list_xattrs(int fd, int dirfd, const char *name, const char *path, strvec *out,
                       de_err *e)
{
	char *buf = xmalloc(XATTR_LIST_MAX_BYTES);
	ssize_t n = list_raw(fd, dirfd, name, buf, XATTR_LIST_MAX_BYTES);
	if (n < 0) {
		int err = errno;
		free(buf);
		if (err == ENOTSUP || err == ENODATA)
			return 0;
		return de_fail_errno(e, err, "%s: xattrs", path);
	}
	for (ssize_t i = 0; i < n;) {
		const char *a = buf + i;
		size_t len = strnlen(a, (size_t)(n - i));
		if (len && !xattr_is_overlay(a))
			sv_push(out, a);
		i += (ssize_t)len + 1;
	}
	free(buf);
	sv_sort(out);
	return 0;
}

static void *get_xattr(int fd, int dirfd, const char *name, const char *path,
                       const char *attr, size_t *len, de_err *e)
{
	if (xattr_is_overlay(attr)) {
		de_fail(e, "%s: %s: no such attribute", path, attr);
		return NULL;
	}
	ssize_t n = get_raw(fd, dirfd, name, attr, NULL, 0);
	if (n < 0 || n > XATTR_LIST_MAX_BYTES) {
		de_fail_errno(e, n < 0 ? errno : E2BIG, "%s: %s", path, attr);
		return NULL;
	}
	char *v = xmalloc((size_t)n + 1);
	n = get_raw(fd, dirfd, name, attr, v, (size_t)n);
	if (n < 0) {
		de_fail_errno(e, errno, "%s: %s", path, attr);
		free(v);
		return NULL;
	}
	*len = (size_t)n;
	return v;
}

int un_walk_listxattr(un_fs *fs, const un_walk_entry *ent, strvec *names, de_err *e)
{
	(void)fs;
	return list_xattrs(-1, ent->dirfd, ent->at, ent->path, names, e);
}

void *un_walk_getxattr(const un_walk_entry *ent, const char *name, size_t *len, de_err *e)
{
	return get_xattr(-1, ent->dirfd, ent->at, ent->path, name, len, e);
}

int un_listxattr(un_fs *fs, const char *path, strvec *names, de_err *e)
{
	loc l;
	if (resolve(fs, path, false, false, &l, e) < 0)
		return -1;
	int rc = list_xattrs(-1, l.efd, l.ename, l.path, names, e);
	loc_free(&l);
	return rc;
}

void *un_getxattr(un_fs *fs, const char *path, const char *name, size_t *len, de_err *e)
{
	loc l;
	if (resolve(fs, path, false, false, &l, e) < 0)
		return NULL;
	void *v = get_xattr(-1, l.efd, l.ename, l.path, name, len, e);
	loc_free(&l);
	return v;
}

int un_fd_listxattr(int fd, const char *path, strvec *names, de_err *e)
{
	return list_xattrs(fd, -1, NULL, path, names, e);
}

void *un_fd_getxattr(int fd, const char *path, const char *name, size_t *len, de_err *e)
{
	return get_xattr(fd, -1, NULL, path, name, len, e);
}
